import AutoCoder
import Synchronization

/// A generator that answers from a recorded run instead of a model: the n-th call gets the n-th recorded answer.
///
/// A recorded reply text is parsed again, exactly as the original reply was (so an incomplete reply is incomplete
/// again); a call recorded without text (a closure generator) gives back its recorded files.
public final class ReplayGenerator: CodeGenerator {
    public let calls: [GeneratorCall]
    /// The languages replies are read with, as when they were recorded.
    public let languages: LanguageCatalog
    private let next = Mutex(0)

    public init(calls: [GeneratorCall], languages: LanguageCatalog) {
        self.calls = calls
        self.languages = languages
    }

    public func generate(_ task: CodingTask) async throws -> Attempt {
        try answer(task)
    }

    public func fix(_ task: CodingTask, previous: Attempt, feedback: Feedback) async throws -> Attempt {
        try answer(task, previous: previous.files)
    }

    private func answer(_ task: CodingTask, previous: [CodeFile] = []) throws -> Attempt {
        let index = next.withLock { index in
            defer { index += 1 }
            return index
        }
        guard index < calls.count else {
            throw GeneratorError(
                "The recording has \(calls.count) generator answers, and the replay needed another at iteration "
                    + "\(index + 1): the run has departed from the recording.")
        }
        let recorded = calls[index].attempt
        guard let reply = recorded.reply else { return recorded }
        return ReplyParser(task: task, languages: languages, previous: previous).attempt(
            from: reply, usage: recorded.usage)
    }
}
