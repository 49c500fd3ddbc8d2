import AutoCoder
import Foundation

/// The prompts of a task on a repository (`autocoder fix`): the goal and the failures, the repository map, the
/// files that matter in full, and the edit format (SEARCH/REPLACE blocks).
extension PromptBuilder {
    /// The system prompt for edits.
    func repositorySystemPrompt(for task: CodingTask) -> String {
        "You are an expert programmer working in an existing repository. Change the code so that the failing tests "
            + "pass; never change the tests. Reply with edits only. For each change, write the file's path on a "
            + "line of its own, then:\n<<<<<<< SEARCH\nthe exact lines of the file to change\n=======\nthe new "
            + "lines\n>>>>>>> REPLACE\nQuote enough lines to match one place. An empty SEARCH creates a new file. "
            + "If the tests contradict the goal, reply instead with one line: \(ReplyParser.inconsistencyMarker) "
            + "and the reason."
    }

    /// The messages that ask for the first edits.
    func repositoryFirstAttempt(for task: CodingTask, repository: RepositoryContext) -> [ChatMessage] {
        var parts = [task.description.trimmingCharacters(in: .whitespacesAndNewlines)]
        parts += context(repository, task: task, changed: [])
        parts.append("Reply with SEARCH/REPLACE edits.")
        return [.system(repositorySystemPrompt(for: task)), .user(parts.joined(separator: "\n\n"))]
    }

    /// The messages that ask to fix `previous`, whose tests said `feedback`.
    func repositoryFix(
        for task: CodingTask, repository: RepositoryContext, previous: Attempt, feedback: Feedback
    ) -> [ChatMessage] {
        var parts = [task.description.trimmingCharacters(in: .whitespacesAndNewlines)]
        parts += context(repository, task: task, changed: previous.files)
        parts.append(
            "After your previous edits, the tests (correct and read-only) said:\n"
                + feedback.text.trimmingCharacters(in: .whitespacesAndNewlines))
        parts.append("Reply with SEARCH/REPLACE edits against the files as they are shown above.")
        return [.system(repositorySystemPrompt(for: task)), .user(parts.joined(separator: "\n\n"))]
    }

    /// The map, then each file in full as it is now (`changed` laid over the repository's), then which files are
    /// the protected tests.
    private func context(_ repository: RepositoryContext, task: CodingTask, changed: [CodeFile]) -> [String] {
        var parts: [String] = []
        if !repository.map.isEmpty {
            parts.append("The repository (files and their top-level names):\n" + repository.map)
        }
        for file in repository.files.overlaid(with: changed) where !file.isBinary {
            let tag = languages.rules(forFile: file.path)?.fenceTags.first ?? ""
            let body = file.content.hasSuffix("\n") ? file.content : file.content + "\n"
            let fence = body.contains("```") ? "~~~~" : "```"
            parts.append("`\(file.path)`:\n\(fence)\(tag)\n\(body)\(fence)")
        }
        parts.append(
            "The test files (\(repository.protectedPatterns.joined(separator: ", "))) are read-only; "
                + "`\(repository.testCommand)` runs them.")
        return parts
    }
}
