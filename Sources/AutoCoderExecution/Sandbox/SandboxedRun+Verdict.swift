import AutoCoder
import Foundation

extension SandboxedRun {
    /// The run's standard output, then its standard error under a `[stderr]` line when it has any: what a verdict
    /// reports and feeds back.
    var combinedOutput: String {
        let stderr = process.standardError.text
        guard !stderr.isEmpty else { return process.standardOutput.text }
        return process.standardOutput.text + "\n[stderr]\n" + stderr
    }

    /// ``combinedOutput`` with the working directory's paths made relative (`DIR/x` → `x`, `DIR` → `.`), so that
    /// what is fed back names files as the code knows them.
    func combinedOutput(relativeTo directory: String) -> String {
        Self.relative(combinedOutput, to: directory)
    }

    /// `text` with `directory`'s paths made relative (`DIR/x` → `x`, `DIR` → `.`).
    static func relative(_ text: String, to directory: String) -> String {
        text.replacingOccurrences(of: directory + "/", with: "").replacingOccurrences(of: directory, with: ".")
    }

    /// The verdict when the run was cut short (output or memory over the limit, a timeout, a fatal signal), which no
    /// report can change; `nil` when the runner ended by itself and its report decides.
    /// - Parameters:
    ///   - runner: What was killed, for the message ("pytest", "the test binary").
    ///   - timeout: The run's wall-clock limit.
    ///   - output: The runner's captured output, for the result.
    func cutShortVerdict(runner: String, timeout: Duration, output: String) -> TestResult? {
        var result = TestResult(outcome: .crashed, durationMs: process.durationMs, output: output)
        if process.outputLimitExceeded || outOfMemory {
            result.message = limitMessage
            return result
        }
        if process.timedOut {
            result.outcome = .timeout
            result.message = Self.joined(
                "The tests did not finish within \(Self.seconds(timeout)); every process of the run was killed.",
                limitMessage)
            return result
        }
        if case .signaled(let signal) = process.termination {
            result.message = Self.joined("\(runner) was killed by \(SignalName.describe(signal)).", limitMessage)
            return result
        }
        return nil
    }

    /// The two sentences as one, either being optional.
    static func joined(_ first: String?, _ second: String?) -> String? {
        let parts = [first, second].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// `2 s`, `1.5 s`.
    static func seconds(_ duration: Duration) -> String {
        let value = duration.seconds
        return value == value.rounded() ? "\(Int(value)) s" : "\((value * 10).rounded() / 10) s"
    }
}
