/// Turns a test result into the text a generator reads: the failing tests only, each with its message and a
/// trimmed traceback, within a character budget. The summary and the failing test names are never cut.
public struct FeedbackFormatter: Sendable {
    /// The most characters of feedback text.
    public var characterBudget: Int
    /// The most lines kept of one test's traceback (its last lines, where the error is).
    public var detailLines: Int

    public init(characterBudget: Int = 8_000, detailLines: Int = 30) {
        self.characterBudget = characterBudget
        self.detailLines = detailLines
    }

    public func render(_ result: TestResult) -> String {
        var header = ["Test run: \(result.summary)."]
        let problems = result.problems
        if !problems.isEmpty {
            header.append("Failing tests: " + problems.map(\.name).joined(separator: ", "))
        }
        if let hint = hint(for: result) { header.append(hint) }
        var text = header.joined(separator: "\n")

        var sections = problems.map(section(for:))
        if problems.isEmpty, !result.output.isEmpty {
            sections.append("Runner output (last lines):\n" + lastLines(of: result.output, count: detailLines))
        }
        var omitted = 0
        for section in sections {
            if text.count + section.count + 2 <= characterBudget {
                text += "\n\n" + section
            } else {
                omitted += 1
            }
        }
        if omitted > 0 {
            text += "\n\n[\(omitted) more report(s) left out to stay within \(characterBudget) characters]"
        }
        return text
    }

    private func section(for test: TestCase) -> String {
        var lines = ["\(test.outcome == .error ? "ERROR" : "FAILED") \(test.name)"]
        if let message = test.message, !message.isEmpty { lines.append(message) }
        if let details = test.details, !details.isEmpty { lines.append(lastLines(of: details, count: detailLines)) }
        return lines.joined(separator: "\n")
    }

    private func hint(for result: TestResult) -> String? {
        switch result.outcome {
        case .timeout:
            "The run was stopped: look for an infinite loop, a blocking call or an algorithm that is too slow."
        case .crashed: "The process was killed: look for runaway memory use, deep recursion or a crash in native code."
        case .noTests: "No test verified anything: the tests were not collected or were all skipped."
        case .tampered:
            "Make the tests pass by doing what the description asks: leave the test machinery, the test files, "
                + "comparison methods and the process itself alone. If the tests contradict the description, "
                + "say so instead, as the instructions explain."
        default: nil
        }
    }

    private func lastLines(of text: String, count: Int) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > count else { return text }
        return "[\(lines.count - count) earlier lines cut]\n" + lines.suffix(count).joined(separator: "\n")
    }
}
