import AutoCoder
import Foundation

/// Decides one test file's node run: the cut-short rules, then the JUnit report under the shared rules, then the
/// seal (``NodeSeal``), whose cases decide each test. A file that wrote no report could not be loaded (`error`, with
/// the loading error as the message) or ended before its tests reported, which is never a pass.
struct NodeTestVerdict {
    var run: SandboxedRun
    var report: Data?
    var testFile: String
    /// Every test file of the task, as the workspace holds them: the only places a test may be declared.
    var testFiles: [String]
    /// The working directory's path, cut from what is fed back.
    var workspace: String
    var timeout: Duration
    /// The run's harness directory (``Workspace/harnessDirectory``), where Jest's globals declare skipped tests.
    var harness: String

    var testResult: TestResult {
        let process = run.process
        let output = run.combinedOutput(relativeTo: workspace)
        if let cutShort = run.cutShortVerdict(runner: "node", timeout: timeout, output: output) { return cutShort }
        var result = TestResult(
            outcome: .error, exitCode: process.exitCode, durationMs: process.durationMs, output: output)
        guard let report, let tests = try? JUnitParser().parse(report) else {
            result.message =
                process.exitCode == 0
                ? "The tests in \(testFile) did not run: the file ended before they reported (did the code end the "
                    + "process?); this is never a pass."
                : "The tests in \(testFile) could not be loaded"
                    + (Self.loadingError(in: output).map { ": " + $0 } ?? ".")
            return result
        }
        result.tests = tests.map { test in
            var test = test
            test.name = test.name.replacingOccurrences(of: workspace + "/", with: "")
            return test
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

    /// `result` held to what `seal` read from the run's standard output, and to the declared skips: a test skipped
    /// when no test file declares a skip is `tampered` unless integrity is off (the code skipped it to hide a
    /// failure).
    func sealed(_ result: TestResult, seal: VerdictSeal, mode: IntegrityMode, skipsDeclared: Bool) -> TestResult {
        // Each sealed line carries a code, not the secret (``VerdictSeal/verified(_:)``); checked, they are read
        // as the plain seal.
        let verified = seal.verified(run.process.standardOutput.text)
        if let problem = verified.problem, [.passed, .failed, .noTests].contains(result.outcome) {
            return VerdictSeal.tampered(result, mode: mode, rule: "forged-seal", problem)
        }
        let output = verified.text
        let reading = seal.read(output)
        var result = seal.judged(result, output: output, mode: mode, sealedCasesDecide: true)
        if !reading.loaded, [.passed, .failed, .noTests].contains(result.outcome) {
            result.outcome = .error
            result.message =
                "The tests in \(testFile) could not be loaded"
                + (Self.loadingError(in: result.output).map { ": " + $0 }
                    ?? " to their end (the code held the file back or ended it)") + "; this is never a pass."
            return result
        }
        guard [.passed, .failed].contains(result.outcome) else { return result }
        let declaring = Set(testFiles.map { workspace + "/" + $0 })
        // Jest's `xtest`, `xit` and `xdescribe` declare their skipped test from autocoder's own globals, in the
        // run's harness directory, on the test file's behalf.
        let jestGlobals = harness + "/" + JestCompatibility.fileName
        let foreign = result.tests.first { test in
            !declaring.contains(test.suite ?? "") && !(test.outcome == .skipped && test.suite == jestGlobals)
        }
        if let foreign {
            return VerdictSeal.tampered(
                result, mode: mode, rule: "foreign-test",
                "\(foreign.name) was declared outside the test files (\(foreign.suite ?? "nowhere")), by the code")
        }
        result.tests = result.tests.map { test in
            var test = test
            test.suite = test.suite.map { $0.replacingOccurrences(of: workspace + "/", with: "") }
            return test
        }
        if let forged = Self.unsupported(result.tests, reading.bodies) {
            return VerdictSeal.tampered(result, mode: mode, rule: "forged-report", forged)
        }
        if reading.unreported > 0 {
            result.outcome = .error
            result.message =
                "\(reading.unreported) test(s) node queued were never reported (their report was held back); this "
                + "is never a pass."
            return result
        }
        if reading.uncaught > 0, result.outcome == .passed {
            result.outcome = .error
            result.message =
                "An exception nothing caught was thrown during the run (\(reading.uncaught)); this is never a pass."
            return result
        }
        if mode != .off, !skipsDeclared, [.passed, .failed].contains(result.outcome),
            let skipped = result.tests.first(where: { $0.outcome == .skipped })
        {
            result = VerdictSeal.tampered(
                result, mode: mode, rule: "undeclared-skip",
                "\(skipped.name) was skipped, but no test file declares a skip; a skip the code raised hides a failure")
        }
        return result
    }

    /// Why the reported `tests` are not what their bodies did, or `nil`: a test reported passed more often than a
    /// body of its name returned or settled, or reported failed less often than a body of its name threw or
    /// rejected. Extra passing bodies are allowed (code may call a body's path itself; it can only add to them).
    static func unsupported(_ tests: [TestCase], _ bodies: [TestCase]) -> String? {
        func counts(_ cases: [TestCase], _ outcome: TestCase.Outcome) -> [String: Int] {
            Dictionary(cases.filter { $0.outcome == outcome }.map { ($0.name, 1) }, uniquingKeysWith: +)
        }
        let (passed, failed) = (counts(tests, .passed), counts(tests, .failed))
        let (ran, threw) = (counts(bodies, .passed), counts(bodies, .failed))
        if let name = passed.keys.sorted().first(where: { passed[$0, default: 0] > ran[$0, default: 0] }) {
            return "the report says \(name) passed, but no body of that name ran to its end"
        }
        if let name = threw.keys.sorted().first(where: { threw[$0, default: 0] > failed[$0, default: 0] }) {
            return "the body of \(name) failed, but the report does not say so"
        }
        return nil
    }

    /// The runs of several test files as one result: every test, and the worst outcome with its message.
    static func merged(_ results: [TestResult]) -> TestResult {
        guard var merged = results.first else {
            return TestResult(
                outcome: .noTests,
                message: "No test file declares a test (`test(`, `it(` or `describe(`), so nothing was verified.")
        }
        let rank: [TestOutcome] = [
            .noTests, .passed, .failed, .error, .timeout, .crashed, .infrastructureError, .tampered,
        ]
        for next in results.dropFirst() {
            merged.tests += next.tests
            merged.durationMs += next.durationMs
            merged.output += "\n" + next.output
            if let findings = next.integrity {
                merged.integrity =
                    merged.integrity.map {
                        var both = $0; both.findings += findings.findings; return both
                    } ?? findings
            }
            if (rank.firstIndex(of: next.outcome) ?? 0) > (rank.firstIndex(of: merged.outcome) ?? 0) {
                merged.outcome = next.outcome
                merged.message = next.message
                merged.exitCode = next.exitCode
            }
        }
        return merged
    }

    /// The first line of `output` that names an error (`SyntaxError: …`, `Error [ERR_…]: …`), trimmed.
    static func loadingError(in output: String) -> String? {
        output.split(separator: "\n").first { $0.contains("Error:") || $0.contains("Error [") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Whether a test file's text declares tests (`test(`, `it(`, `describe(`).
    static func declaresTests(_ text: String) -> Bool {
        // `test)(` and its kin: TypeScript's CommonJS output calls an imported `test` as `(0, globals_1.test)(…)`.
        ["test(", "it(", "describe(", "test.each", "it.each", "test)(", "it)(", "describe)("].contains {
            text.contains($0)
        }
    }

    /// Whether a test file's text declares a skip (`.skip`, `{ skip: … }`, `todo`, Jest's `xit`/`xtest`/`xdescribe`).
    static func declaresSkips(_ text: String) -> Bool {
        ["skip", "todo", "xit(", "xtest(", "xdescribe("].contains { text.contains($0) }
    }
}
