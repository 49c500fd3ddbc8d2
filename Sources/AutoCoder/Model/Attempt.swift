/// What a code generator produced for one iteration.
public struct Attempt: Codable, Hashable, Sendable {
    /// The files the generator wrote.
    public var files: [CodeFile]
    /// The generator's raw reply, when it has one (a model's text).
    public var reply: String?
    /// Tokens spent producing this attempt.
    public var usage: Usage?
    /// Why the reply could not be turned into usable files (for example a code block cut off mid-way).
    /// An attempt with a problem is not tested; the problem is fed back instead.
    public var problem: String?
    /// The reason the generator gave for answering that the tests contradict the description, instead of code
    /// (``ReplyParser/inconsistencyClaim(in:)``). The loop then stops with ``StopReason/testsInconsistent``.
    public var testsInconsistent: String?

    public init(
        files: [CodeFile], reply: String? = nil, usage: Usage? = nil, problem: String? = nil,
        testsInconsistent: String? = nil
    ) {
        self.files = files
        self.reply = reply
        self.usage = usage
        self.problem = problem
        self.testsInconsistent = testsInconsistent
    }
}
