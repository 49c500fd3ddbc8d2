import Synchronization

/// A generator that answers from a fixed list of replies, in order, parsing each one as a model's reply.
///
/// It makes the loop reproducible offline: examples, demos and tests use it in place of a model.
public final class ScriptedGenerator: CodeGenerator {
    /// The replies, used one per generate or fix call.
    public let replies: [String]
    private let next = Mutex(0)

    public init(replies: [String]) {
        self.replies = replies
    }

    public func generate(_ task: CodingTask) async throws -> Attempt {
        try takeReply(for: task)
    }

    public func fix(_ task: CodingTask, previous: Attempt, feedback: Feedback) async throws -> Attempt {
        try takeReply(for: task)
    }

    private func takeReply(for task: CodingTask) throws -> Attempt {
        let index = next.withLock { index in
            defer { index += 1 }
            return index
        }
        guard index < replies.count else {
            throw GeneratorError(
                "The script has \(replies.count) replies and all were used; add replies or lower --max-iterations.")
        }
        return ReplyParser(task: task).attempt(from: replies[index])
    }
}
