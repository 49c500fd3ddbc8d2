import AutoCoder
import Foundation

/// Decides a pytest run's ``TestResult`` from how the process ended, the limits it hit, and the JUnit report it
/// left.
///
/// The rules, in order: output or memory over the limit is `crashed`; a timeout is `timeout`; a kill by a signal
/// is `crashed`; no report (or a malformed one) is `error`, or `infrastructure_error` when pytest itself is missing
/// or was called wrongly; a collection error is `error`; no test, or only skipped tests, is `no_tests`; a failing
/// or erroring test is `failed`; only exit code 0 with at least one passing test is `passed`. Last, a pass or
/// failure in which some test function of the test files did not run is `error`, and so is a pass whose test
/// files could not be inventoried.
struct PytestVerdict {
    var run: SandboxedRun
    var report: Data?
    var interpreter: String
    var timeout: Duration
    /// What the test files define, or why that could not be read (then no run can pass).
    var inventory: Result<TestInventory, InventoryError>

    private var process: ProcessResult { run.process }

    var testResult: TestResult {
        if let cutShort = run.cutShortVerdict(runner: "pytest", timeout: timeout, output: output) {
            return cutShort
        }
        var result = TestResult(
            outcome: .error, exitCode: process.exitCode, durationMs: process.durationMs, output: output)
        guard let report else { return withoutReport(result) }
        do {
            result.tests = try JUnitParser().parse(report).map(Self.explainingCollectionError)
        } catch {
            result.message = "pytest's JUnit report could not be read (\(error)); the run cannot be trusted."
            return result
        }
        result = judged(result)
        if result.outcome == .passed, case .failure(let problem) = inventory {
            result.outcome = .error
            result.message =
                "The test files' definitions could not be read (\(problem.reason)), so the run cannot be "
                + "checked and is not counted as a pass."
        }
        if result.outcome == .passed || result.outcome == .failed, case .success(let inventory) = inventory {
            let missing = inventory.missing(from: result.tests)
            if !missing.isEmpty {
                let names = missing.prefix(10).map { "\($0.suite)::\($0.name)" }.joined(separator: ", ")
                result.outcome = .error
                result.message =
                    "Only \(inventory.tests.count - missing.count) of the \(inventory.tests.count) test functions "
                    + "ran; missing: \(names). The code under test must not change how tests are collected or run."
            }
        }
        if result.outcome != .passed, let limit = run.limitMessage {
            result.message = SandboxedRun.joined(result.message, limit)
        }
        return result
    }

    private var output: String { run.combinedOutput }

    private func withoutReport(_ result: TestResult) -> TestResult {
        var result = result
        let code = process.shellExitCode
        if output.contains("No module named pytest") || output.contains("No module named 'pytest'") {
            result.outcome = .infrastructureError
            result.message = "pytest is not installed for \(interpreter): run '\(interpreter) -m pip install pytest'."
        } else if code == 4 {
            result.outcome = .infrastructureError
            result.message = "pytest rejected its command line (exit 4)."
        } else {
            result.message =
                "pytest exited with code \(code) without writing its report: the code under test ended the "
                + "process early (for example with os._exit) or broke pytest. This is never counted as a pass."
        }
        return result
    }

    private func judged(_ result: TestResult) -> TestResult {
        var result = result
        let code = process.shellExitCode
        let collectionErrors = result.tests.filter(Self.isCollectionError)
        if let first = collectionErrors.first {
            result.outcome = .error
            result.message = "The tests could not be collected: \(first.message ?? "collection failure")"
        } else if code == 5 {
            result.outcome = .noTests
            result.message = "pytest found no tests to run."
        } else if code == 2 || code == 3 {
            result.outcome = .error
            result.message = "pytest was interrupted (exit \(code)) before the tests finished."
        } else {
            result.applyVerdictRules(exitCode: code, runner: "pytest")
        }
        return result
    }

    /// pytest reports a module that fails to import as a test with no class name and the message
    /// "collection failure"; the error itself is the last `E` line of its traceback.
    static func isCollectionError(_ test: TestCase) -> Bool {
        test.outcome == .error && test.suite == nil
            && (test.message == "collection failure" || test.message?.hasPrefix("ERROR collecting") == true
                || test.message?.hasPrefix("collection failure:") == true)
    }

    private static func explainingCollectionError(_ test: TestCase) -> TestCase {
        guard isCollectionError(test), let details = test.details else { return test }
        var test = test
        let errorLines = details.split(separator: "\n").filter { $0.hasPrefix("E ") }
        if let last = errorLines.last {
            test.message = "collection failure: " + last.dropFirst(1).trimmingCharacters(in: .whitespaces)
        }
        return test
    }

}
