import AutoCoder
import Foundation

/// Decides a C++ run's result: the compiler's failure is `error` with its first diagnostic; then the cut-short
/// rules (a crash kills the program before Catch2 writes its report), then Catch2's JUnit report under the shared
/// rules (no report is never a pass).
struct CatchVerdict {
    var run: SandboxedRun
    var report: Data?
    /// The working directory's path, cut from what is fed back.
    var workspace: String
    var timeout: Duration

    var testResult: TestResult {
        let output = run.combinedOutput(relativeTo: workspace)
        if let cutShort = run.cutShortVerdict(runner: "the test program", timeout: timeout, output: output) {
            return cutShort
        }
        var result = TestResult(
            outcome: .error, exitCode: run.process.exitCode, durationMs: run.process.durationMs, output: output)
        guard let report, let tests = try? JUnitParser().parse(report) else {
            result.message = SandboxedRun.joined(
                "The test program exited with code \(run.process.shellExitCode) without writing its report; this is "
                    + "never a pass.", run.limitMessage)
            return result
        }
        result.tests = tests
        result.applyVerdictRules(exitCode: run.process.shellExitCode, runner: "the test program")
        if result.outcome != .passed, let limit = run.limitMessage {
            result.message = SandboxedRun.joined(result.message, limit)
        }
        return result
    }

    /// The compiler failed (or ran out of time): `error`, with its first diagnostic as the message.
    static func compileFailure(_ compile: SandboxedRun, workspace: String, timeout: Duration) -> TestResult {
        let output = compile.combinedOutput(relativeTo: workspace)
        if let cutShort = compile.cutShortVerdict(runner: "the compiler", timeout: timeout, output: output) {
            return cutShort
        }
        let diagnostic = output.split(separator: "\n").first { $0.contains(" error: ") || $0.contains(": error:") }
        return TestResult(
            outcome: .error, exitCode: compile.process.exitCode, durationMs: compile.process.durationMs,
            output: output,
            message: "The code does not compile: " + (diagnostic.map(String.init) ?? "the compiler failed."))
    }
}
