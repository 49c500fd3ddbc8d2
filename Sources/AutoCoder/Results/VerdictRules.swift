extension TestResult {
    /// The pass/fail rules every toolchain shares, applied once its runner ended by itself and its report was read
    /// into ``tests``: a failing or erroring test is `failed`; an exit code that no test explains is `error`; no
    /// test, or only skipped ones, is `no_tests`; only a clean exit with at least one passing test is `passed`.
    /// - Parameters:
    ///   - exitCode: The runner's exit code (the highest, when it ran more than once).
    ///   - runner: What ran the tests, for the messages ("pytest", "the test binary").
    public mutating func applyVerdictRules(exitCode: Int32?, runner: String) {
        let sentence = runner.prefix(1).uppercased() + runner.dropFirst()
        if tests.isEmpty {
            outcome = .noTests
            message = "\(sentence) found no tests to run."
        } else if numFailed + numErrors > 0 {
            outcome = .failed
        } else if exitCode != 0 {
            outcome = .error
            message =
                "\(sentence) exited with code \(exitCode.map(String.init) ?? "unknown"), but its report shows no "
                + "failure; the run cannot be trusted."
        } else if numPassed == 0 {
            outcome = .noTests
            message = "Every test was skipped, so nothing was verified."
        } else {
            outcome = .passed
        }
    }
}

extension TestResult {
    /// This result made ``TestOutcome/tampered`` by forgeries seen (`findings`, proven ones), put first in its
    /// integrity report (made under `mode` when it has none), with the report's feedback as the message.
    public func tampered(by findings: [IntegrityFinding], mode: IntegrityMode = .strict) -> TestResult {
        var result = self
        var report = result.integrity ?? IntegrityReport(mode: mode)
        report.findings = findings + report.findings
        result.integrity = report
        result.outcome = .tampered
        result.message = report.feedback
        return result
    }
}
