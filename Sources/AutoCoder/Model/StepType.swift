/// The kind of work the loop is doing.
public enum StepType: String, Codable, Hashable, Sendable {
    /// The first attempt: code written from the task alone.
    case generate
    /// Running the tests against an attempt.
    case test
    /// A later attempt: code rewritten from the previous attempt and its failures.
    case fix
}
