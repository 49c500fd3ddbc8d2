import AutoCoder
import Foundation

/// Decides a Java run's result: `javac`'s failure is `error` with its first diagnostic; then the cut-short rules,
/// then the console launcher's XML report under the shared rules (no report is never a pass).
struct JUnitVerdict {
    var run: SandboxedRun
    var report: Data?
    /// The working directory's path, cut from what is fed back.
    var workspace: String
    var timeout: Duration

    var testResult: TestResult {
        let output = run.combinedOutput(relativeTo: workspace)
        if let cutShort = run.cutShortVerdict(runner: "the JUnit launcher", timeout: timeout, output: output) {
            return cutShort
        }
        var result = TestResult(
            outcome: .error, exitCode: run.process.exitCode, durationMs: run.process.durationMs, output: output)
        guard let report, let tests = try? JUnitParser().parse(report) else {
            result.message = SandboxedRun.joined(
                "The JUnit launcher exited with code \(run.process.shellExitCode) without writing its report; this is "
                    + "never a pass.", run.limitMessage)
            return result
        }
        result.tests = tests
        result.applyVerdictRules(exitCode: run.process.shellExitCode, runner: "the JUnit launcher")
        if result.outcome != .passed, let limit = run.limitMessage {
            result.message = SandboxedRun.joined(result.message, limit)
        }
        return result
    }

    /// `javac` failed (or ran out of time): `error`, with its first diagnostic as the message.
    static func compileFailure(_ compile: SandboxedRun, workspace: String, timeout: Duration) -> TestResult {
        let output = compile.combinedOutput(relativeTo: workspace)
        if let cutShort = compile.cutShortVerdict(runner: "javac", timeout: timeout, output: output) {
            return cutShort
        }
        let diagnostic = output.split(separator: "\n").first { $0.contains(": error:") }
        return TestResult(
            outcome: .error, exitCode: compile.process.exitCode, durationMs: compile.process.durationMs,
            output: output,
            message: "The code does not compile: " + (diagnostic.map(String.init) ?? "javac failed."))
    }
}
