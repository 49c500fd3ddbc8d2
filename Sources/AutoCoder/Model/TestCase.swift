/// The result of one test function.
public struct TestCase: Codable, Hashable, Sendable {
    /// How a single test ended.
    public enum Outcome: String, Codable, Hashable, Sendable {
        case passed
        case failed
        /// The test could not run: an error in setup or teardown, or a collection error.
        case error
        /// Skipped, or an expected failure (xfail).
        case skipped
    }

    /// The test's name (for pytest, the function name with any parameters).
    public var name: String
    /// The suite, module or class the test belongs to, when the runner reports one.
    public var suite: String?
    public var outcome: Outcome
    /// The short reason for a failure, error or skip (for pytest, the assertion message).
    public var message: String?
    /// The longer report: traceback or diagnostics.
    public var details: String?

    public init(name: String, suite: String? = nil, outcome: Outcome, message: String? = nil, details: String? = nil) {
        self.name = name
        self.suite = suite
        self.outcome = outcome
        self.message = message
        self.details = details
    }
}
