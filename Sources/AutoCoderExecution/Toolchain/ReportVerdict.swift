import AutoCoder
import Foundation

/// The verdict of a compiled language whose runner writes a JUnit report (Java's launcher, C++'s Catch2): the
/// cut-short rules, then the report under the shared rules; no report is never a pass.
struct ReportVerdict {
    var run: SandboxedRun
    var report: Data?
    /// The working directory's path, cut from what is fed back.
    var workspace: String
    var timeout: Duration
    /// What ran, for the messages ("the JUnit launcher", "the test program").
    var runner: String

    var testResult: TestResult {
        let output = run.combinedOutput(relativeTo: workspace)
        if let cutShort = run.cutShortVerdict(runner: runner, timeout: timeout, output: output) {
            return cutShort
        }
        var result = TestResult(
            outcome: .error, exitCode: run.process.exitCode, durationMs: run.process.durationMs, output: output)
        guard let report, let tests = try? JUnitParser().parse(report) else {
            let sentence = runner.prefix(1).uppercased() + runner.dropFirst()
            result.message = SandboxedRun.joined(
                "\(sentence) exited with code \(run.process.shellExitCode) without writing its report; this is "
                    + "never a pass.", run.limitMessage)
            return result
        }
        result.tests = tests
        result.applyVerdictRules(exitCode: run.process.shellExitCode, runner: runner)
        if result.outcome != .passed, let limit = run.limitMessage {
            result.message = SandboxedRun.joined(result.message, limit)
        }
        return result
    }

    /// A build step that failed (or ran out of time): `error`, with its first line that `isDiagnostic` as the
    /// message ("The code does not compile: …").
    static func compileFailure(
        _ compile: SandboxedRun, compiler: String, workspace: String, timeout: Duration,
        isDiagnostic: (Substring) -> Bool
    ) -> TestResult {
        let output = compile.combinedOutput(relativeTo: workspace)
        if let cutShort = compile.cutShortVerdict(runner: compiler, timeout: timeout, output: output) {
            return cutShort
        }
        let diagnostic = output.split(separator: "\n").first(where: isDiagnostic)
        return TestResult(
            outcome: .error, exitCode: compile.process.exitCode, durationMs: compile.process.durationMs,
            output: output,
            message: "The code does not compile: " + (diagnostic.map(String.init) ?? "\(compiler) failed."))
    }
}
