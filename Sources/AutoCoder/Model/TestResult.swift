/// The result of running a test suite once against some code.
///
/// `passed` is `true` only when the outcome is ``TestOutcome/passed``, which the executors grant only when the
/// runner exited cleanly, wrote its report, and at least one test passed.
public struct TestResult: Hashable, Sendable {
    public var outcome: TestOutcome
    /// Each test that the runner reported.
    public var tests: [TestCase]
    /// The runner's exit code; `nil` when it was killed or never started.
    public var exitCode: Int32?
    /// Wall-clock time of the run, in milliseconds.
    public var durationMs: Int
    /// The runner's console output, capped (head and tail kept, with a marker of what was cut).
    public var output: String
    /// One line saying why the run ended as it did, when the per-test results do not say it
    /// (a timeout, a collection error, a missing report).
    public var message: String?
    /// What the integrity check saw, when the executor ran one.
    public var integrity: IntegrityReport?

    public init(
        outcome: TestOutcome,
        tests: [TestCase] = [],
        exitCode: Int32? = nil,
        durationMs: Int = 0,
        output: String = "",
        message: String? = nil,
        integrity: IntegrityReport? = nil
    ) {
        self.outcome = outcome
        self.tests = tests
        self.exitCode = exitCode
        self.durationMs = durationMs
        self.output = output
        self.message = message
        self.integrity = integrity
    }

    /// Whether the code passed its tests.
    public var passed: Bool { outcome == .passed }
    public var numPassed: Int { count(.passed) }
    /// The passing tests that count: none when the run was ``TestOutcome/tampered``.
    public var numVerifiedPassed: Int { outcome == .tampered ? 0 : numPassed }
    public var numFailed: Int { count(.failed) }
    public var numErrors: Int { count(.error) }
    public var numSkipped: Int { count(.skipped) }

    /// The tests that failed or errored.
    public var problems: [TestCase] { tests.filter { $0.outcome == .failed || $0.outcome == .error } }

    private func count(_ outcome: TestCase.Outcome) -> Int {
        tests.reduce(0) { $0 + ($1.outcome == outcome ? 1 : 0) }
    }
}

extension TestResult: Codable {
    enum CodingKeys: String, CodingKey {
        case passed, outcome, tests, output, message, integrity, numPassed, numFailed, numErrors, numSkipped
        case exitCode, durationMs
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.outcome = try container.decode(TestOutcome.self, forKey: .outcome)
        self.tests = try container.decodeIfPresent([TestCase].self, forKey: .tests) ?? []
        self.exitCode = try container.decodeIfPresent(Int32.self, forKey: .exitCode)
        self.durationMs = try container.decodeIfPresent(Int.self, forKey: .durationMs) ?? 0
        self.output = try container.decodeIfPresent(String.self, forKey: .output) ?? ""
        self.message = try container.decodeIfPresent(String.self, forKey: .message)
        self.integrity = try container.decodeIfPresent(IntegrityReport.self, forKey: .integrity)
    }

    /// Written by hand for the fields worked out from the tests: `passed` and the counts.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(passed, forKey: .passed)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(numPassed, forKey: .numPassed)
        try container.encode(numFailed, forKey: .numFailed)
        try container.encode(numErrors, forKey: .numErrors)
        try container.encode(numSkipped, forKey: .numSkipped)
        try container.encode(exitCode, forKey: .exitCode)
        try container.encode(durationMs, forKey: .durationMs)
        try container.encode(tests, forKey: .tests)
        try container.encode(output, forKey: .output)
        try container.encode(message, forKey: .message)
        try container.encode(integrity, forKey: .integrity)
    }
}
