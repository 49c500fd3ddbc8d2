import Synchronization

/// A generator that answers from a fixed list of replies, in order, parsing each one as a model's reply.
///
/// It makes the loop reproducible offline: examples, demos and tests use it in place of a model.
public final class ScriptedGenerator: CodeGenerator {
    /// The replies, used one per generate or fix call.
    public let replies: [String]
    /// The languages replies are read with (``ReplyParser``).
    public let languages: LanguageCatalog
    private let next = Mutex(0)

    public init(replies: [String], languages: LanguageCatalog = .none) {
        self.replies = replies
        self.languages = languages
    }

    public func generate(_ task: CodingTask) async throws -> Attempt {
        try takeReply(for: task)
    }

    public func fix(_ task: CodingTask, previous: Attempt, feedback: Feedback) async throws -> Attempt {
        try takeReply(for: task, previous: previous.files)
    }

    /// Candidate `variant` of the first attempts gets reply number `variant`; later calls take the replies after
    /// the last candidate's.
    public func generate(_ task: CodingTask, variant: Int) async throws -> Attempt {
        next.withLock { $0 = max($0, variant + 1) }
        guard variant < replies.count else {
            throw GeneratorError(
                "The script has \(counted(replies.count, "reply", "replies")), too few for candidate \(variant + 1); add replies or ask for fewer candidates."
            )
        }
        return ReplyParser(task: task, languages: languages).attempt(from: replies[variant])
    }

    private func takeReply(for task: CodingTask, previous: [CodeFile] = []) throws -> Attempt {
        let index = next.withLock { index in
            defer { index += 1 }
            return index
        }
        guard index < replies.count else {
            throw GeneratorError(
                "The script has \(counted(replies.count, "reply", "replies")) and all were used; add replies or lower --max-iterations."
            )
        }
        return ReplyParser(task: task, languages: languages, previous: previous).attempt(from: replies[index])
    }
}
