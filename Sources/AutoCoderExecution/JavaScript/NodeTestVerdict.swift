import AutoCoder
import Foundation

/// Decides a `node --test` run's result: the cut-short rules, then the JUnit report under the shared rules. node
/// reports a test file whose process ended without running its tests as one case named after the file: failing,
/// it is a file that could not be loaded (`error`, with the loading error as the message); passing (the code
/// exited early with 0), it is no test at all, never a pass.
struct NodeTestVerdict {
    var run: SandboxedRun
    var report: Data?
    var testFiles: [String]
    /// The test files' text as the task gave them, by path.
    var sources: [String: String] = [:]
    /// The working directory's path, cut from what is fed back.
    var workspace: String
    var timeout: Duration

    var testResult: TestResult {
        let process = run.process
        let output = run.combinedOutput(relativeTo: workspace)
        if let cutShort = run.cutShortVerdict(runner: "node", timeout: timeout, output: output) { return cutShort }
        var result = TestResult(
            outcome: .error, exitCode: process.exitCode, durationMs: process.durationMs, output: output)
        guard let report, let tests = try? JUnitParser().parse(report) else {
            result.message =
                "node exited with code \(process.shellExitCode) without writing its report; this is never a pass."
            return result
        }
        result.tests = tests.map { test in
            var test = test
            test.name = test.name.replacingOccurrences(of: workspace + "/", with: "")
            return test
        }
        let files = result.tests.filter { testFiles.contains($0.name) }
        result.tests.removeAll { testFiles.contains($0.name) }
        // node names a file as a test of its own only when the file reported no test: a file that declares tests
        // and "passed" that way ended before they ran (an early exit), which is never a pass.
        if let ended = files.first(where: { $0.outcome == .passed && declaresTests($0.name) }) {
            var entry = ended
            entry.outcome = .error
            entry.message = "the file ended before its tests reported (did the code end the process?)"
            result.tests.append(entry)
            result.outcome = .error
            result.message = "The tests in \(ended.name) did not run: the file ended before they reported."
            return result
        }
        if let unloaded = files.first(where: { $0.outcome != .passed }) {
            result.tests.append(unloaded)
            result.outcome = .error
            let reason = output.split(separator: "\n").first { $0.contains("Error:") || $0.contains("Error [") }
            result.message =
                "The tests in \(unloaded.name) could not be loaded"
                + (reason.map { ": \($0.trimmingCharacters(in: .whitespaces))" } ?? ".")
            return result
        }
        result.applyVerdictRules(exitCode: process.shellExitCode, runner: "node")
        if result.outcome == .passed, result.tests.isEmpty {
            result.outcome = .noTests
        }
        if result.outcome != .passed, let limit = run.limitMessage {
            result.message = SandboxedRun.joined(result.message, limit)
        }
        return result
    }

    /// Whether the test file at `path` declares tests (`test(`, `it(`, `describe(`), as the task gave it.
    func declaresTests(_ path: String) -> Bool {
        guard let text = sources[path] else { return true }
        return Self.declaresTests(text)
    }

    static func declaresTests(_ text: String) -> Bool {
        ["test(", "it(", "describe(", "test.each", "it.each"].contains { text.contains($0) }
    }
}
