import AutoCoder
import Foundation

/// Decides a Swift test run's ``TestResult`` from its XCTest run (console output), its Swift Testing run (xunit
/// report), and the limits they hit. As for pytest, nothing is a pass without a clean exit, a report, and at least
/// one passing test. A sealed run (``SwiftSealedMain``) is one process that runs both; its seal then decides each
/// test (``CompiledVerdict``), and its report only gives Swift Testing's failure messages.
struct SwiftTestVerdict {
    var xctest: SandboxedRun
    var swiftTesting: SandboxedRun?
    var report: Data?
    var timeout: Duration
    /// Whether `xctest` is a sealed run of both libraries (and `swiftTesting` is `nil`).
    var sealed = false

    var testResult: TestResult {
        let xcOutput = xctest.process.standardOutput.text + xctest.process.standardError.text
        let stOutput = swiftTesting.map { $0.process.standardOutput.text + $0.process.standardError.text } ?? ""
        let output = stOutput.isEmpty ? xcOutput : xcOutput + "\n" + stOutput
        let xcCases = XCTestConsoleParser.parse(xcOutput)
        for run in [xctest, swiftTesting].compactMap({ $0 }) {
            if var cutShort = run.cutShortVerdict(runner: "the test binary", timeout: timeout, output: output) {
                cutShort.tests = xcCases
                return cutShort
            }
        }
        var result = TestResult(outcome: .error, tests: xcCases, exitCode: xctest.process.exitCode, output: output)
        if sealed {
            result.tests += report.flatMap { try? JUnitParser().parse($0) } ?? []
            result.applyVerdictRules(exitCode: xctest.process.exitCode, runner: "the test binary")
            if result.outcome != .passed, let limit = xctest.limitMessage { result.message = limit }
            return result
        }
        guard let swiftTesting else { return result }
        guard let report else {
            result.message =
                "The Swift Testing run wrote no report (exit \(swiftTesting.process.shellExitCode)); "
                + "this is never counted as a pass."
            return result
        }
        let swiftTestingCases: [TestCase]
        do {
            swiftTestingCases = try JUnitParser().parse(report)
        } catch {
            result.message = "The Swift Testing report could not be read (\(error)); the run cannot be trusted."
            return result
        }
        result.tests += swiftTestingCases
        // Swift Testing exits 69 (EX_UNAVAILABLE) when the package has none of its tests: not a failure.
        let swiftTestingExit =
            swiftTestingCases.isEmpty && swiftTesting.process.exitCode == 69 ? 0 : swiftTesting.process.exitCode
        let exitCodes = [xctest.process.exitCode, swiftTestingExit]
        let exitCode: Int32? =
            exitCodes.contains(nil) ? nil : exitCodes.compactMap { $0 }.first { $0 != 0 } ?? 0
        result.applyVerdictRules(exitCode: exitCode, runner: "the test binary")
        if result.outcome == .passed { result.exitCode = 0 }
        if result.outcome != .passed, let limit = xctest.limitMessage ?? swiftTesting.limitMessage {
            result.message = SandboxedRun.joined(result.message, limit)
        }
        return result
    }
}
