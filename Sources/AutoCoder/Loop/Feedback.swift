/// What the loop tells the generator about a failed attempt.
public struct Feedback: Hashable, Sendable {
    /// The test result the feedback describes.
    public var testResult: TestResult
    /// The readable report: the failing tests with their messages and trimmed tracebacks.
    public var text: String

    public init(testResult: TestResult, text: String) {
        self.testResult = testResult
        self.text = text
    }

    /// Feedback for `result`, written by the default ``FeedbackFormatter``.
    public init(testResult: TestResult) {
        self.init(testResult: testResult, text: FeedbackFormatter().render(testResult))
    }
}
