import AutoCoder
import Foundation

/// Writes what a model reads: a system prompt, then a user prompt with the task, the tests (stated to be correct
/// and read-only), the file to write and the reply format. A fix prompt carries the previous code and the
/// failures instead of the whole test code, so it stays within the feedback budget.
///
/// The wording is short and literal on purpose. Measured with SmolLM2-135M on the demo task (24 samples per
/// wording): asking for "only the implementation, no tests, no prints" right above the code to complete passed
/// 19 of 24 first attempts; a longer list of rules with the code before the tests passed 5 of 12. Small models
/// tend to append calls of the tests they were shown, which breaks the import.
public struct PromptBuilder: Sendable {
    /// Where a task's language gets its name and fence tag.
    public var languages: LanguageCatalog

    public init(languages: LanguageCatalog) {
        self.languages = languages
    }

    /// The system prompt for `task`'s language.
    public func systemPrompt(for task: CodingTask) -> String {
        let format =
            task.starterFiles.count > 1
            ? "a ```\(fenceTag(task)) block for each file you change, holding the complete file, with its path on the "
                + "line just above it,"
            : "one ```\(fenceTag(task)) block holding the complete file,"
        let facts = languages.rules(for: task.language)?.environmentFacts.map { " " + $0 } ?? ""
        return "You are an expert \(displayName(task)) programmer. Reply with the implementation only: \(format) "
            + "with no tests, no asserts and no example calls. If the tests contradict the description, reply "
            + "instead with one line: \(ReplyParser.inconsistencyMarker) and the reason.\(facts)"
    }

    /// The messages that ask for a first attempt.
    public func firstAttempt(for task: CodingTask) -> [ChatMessage] {
        if let repository = task.repository { return repositoryFirstAttempt(for: task, repository: repository) }
        var parts = [task.description.trimmingCharacters(in: .whitespacesAndNewlines)]
        for test in task.tests where test.isBinary && !task.testsHidden {
            parts.append("The tests also read `\(test.path)`, a data file of \(test.bytes.count) bytes.")
        }
        if task.testsHidden {
            parts.append(
                "Tests it must pass are in \(task.tests.map { "`\($0.path)`" }.joined(separator: ", ")); they are "
                    + "not shown, but their failures will be.")
        } else {
            for test in task.tests where !test.isBinary {
                parts.append(
                    "Tests it must pass, in `\(test.path)` (they are correct and read-only; do not change or repeat "
                        + "them):\n" + fenced(test.content, language: task.language))
            }
        }
        let starter = task.starterFiles.first { $0.path == task.solutionPath }
        for file in task.starterFiles where file.path != task.solutionPath {
            parts.append(
                "Another file you may change, `\(file.path)`:\n" + fenced(file.content, language: task.language))
        }
        let request = "Write only the implementation of `\(task.solutionPath)`, no tests, no prints"
        if let starter {
            parts.append(
                request + ". Complete this code, keeping its names and signatures:\n"
                    + fenced(starter.content, language: task.language))
        } else {
            parts.append(request + ", in one ```\(fenceTag(task)) block.")
        }
        return [.system(systemPrompt(for: task)), .user(parts.joined(separator: "\n\n"))]
    }

    /// The messages that ask to fix `previous`, whose tests said `feedback`.
    public func fix(for task: CodingTask, previous: Attempt, feedback: Feedback) -> [ChatMessage] {
        if let repository = task.repository {
            return repositoryFix(for: task, repository: repository, previous: previous, feedback: feedback)
        }
        var parts = [task.description.trimmingCharacters(in: .whitespacesAndNewlines)]
        let files = previous.files.filter { file in !task.tests.contains { $0.path == file.path } }
        if files.isEmpty { parts.append("Your previous reply gave no usable code.") }
        for file in files {
            parts.append("Your previous `\(file.path)`:\n" + fenced(file.content, language: task.language))
        }
        parts.append(
            "The tests (correct and read-only) failed on it:\n"
                + feedback.text.trimmingCharacters(in: .whitespacesAndNewlines))
        parts.append(
            "Write the corrected `\(task.solutionPath)` in one ```\(fenceTag(task)) block. Only the "
                + "implementation: no tests, no asserts, no prints.")
        return [.system(systemPrompt(for: task)), .user(parts.joined(separator: "\n\n"))]
    }

    private func fenced(_ code: String, language: Language) -> String {
        let body = code.hasSuffix("\n") ? code : code + "\n"
        let fence = body.contains("```") ? "~~~~" : "```"
        return fence + fenceTag(language) + "\n" + body + fence
    }

    /// The language's name in prose; the task's own name when the catalog does not know it.
    private func displayName(_ task: CodingTask) -> String {
        languages.rules(for: task.language)?.displayName ?? task.language.rawValue
    }

    /// The tag of code fences in prompts.
    private func fenceTag(_ task: CodingTask) -> String { fenceTag(task.language) }

    private func fenceTag(_ language: Language) -> String {
        languages.rules(for: language)?.fenceTags.first ?? language.rawValue
    }
}
