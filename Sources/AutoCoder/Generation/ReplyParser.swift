/// Turns a generator's reply text into files.
///
/// It understands fenced code blocks (``` or ~~~, with or without a language tag), file names given in the fence
/// line (`python solution.py`, `title="solution.py"`) or on the line just before it (`**solution.py**`,
/// `File: solution.py`, "Here is `solution.py`:"), several files in one reply, prose around the code, and replies
/// that are bare code with no fence. A block without a file name becomes the solution file.
/// A reply cut off inside a code block gives an attempt with a ``Attempt/problem`` instead of files.
public struct ReplyParser: Sendable {
    /// Where an unnamed block goes.
    public var solutionPath: String
    /// Decides which unnamed block is preferred when there are several.
    public var language: Language

    public init(solutionPath: String, language: Language) {
        self.solutionPath = solutionPath
        self.language = language
    }

    public init(task: CodingTask) {
        self.init(solutionPath: task.solutionPath, language: task.language)
    }

    /// The attempt that `reply` describes.
    public func attempt(from reply: String, usage: Usage? = nil) -> Attempt {
        let scan = FenceScanner(text: reply).scan()
        if scan.unterminated {
            return Attempt(
                files: [], reply: reply, usage: usage,
                problem: "The reply ends inside a code block that is never closed (it was probably cut off). "
                    + "Reply with the complete file in a closed ``` block.")
        }
        return Attempt(files: files(from: scan.blocks, reply: reply), reply: reply, usage: usage)
    }

    private func files(from blocks: [CodeBlock], reply: String) -> [CodeFile] {
        if blocks.isEmpty {
            let code = reply.trimmingBlankLines()
            return code.isEmpty ? [] : [CodeFile(path: solutionPath, content: code + "\n")]
        }
        var files: [CodeFile] = []
        var unnamed: [CodeBlock] = []
        for block in blocks {
            if let path = block.fileName.map(placed) {
                files = files.overlaid(with: [CodeFile(path: path, content: block.code)])
            } else {
                unnamed.append(block)
            }
        }
        if !files.contains(where: { $0.path == solutionPath }) {
            let preferred = unnamed.first { $0.tag.isEmpty || language.fenceTags.contains($0.tag) } ?? unnamed.first
            if let preferred, !preferred.code.trimmingBlankLines().isEmpty {
                files.append(CodeFile(path: solutionPath, content: preferred.code))
            }
        }
        return files
    }
}

extension ReplyParser {
    /// A file name as the task lays files out: for Swift, a bare name (`Stack.swift`) belongs in the solution's
    /// module directory (`Sources/Solution/Stack.swift`), so that one file never goes under two paths.
    func placed(_ name: String) -> String {
        guard language == .swift, !name.contains("/"), let slash = solutionPath.lastIndex(of: "/") else { return name }
        return String(solutionPath[...slash]) + name
    }
}

/// One fenced block of a reply.
struct CodeBlock: Hashable {
    /// The first word of the fence's info string, lower-cased (`python`), or empty.
    var tag: String
    /// The file name given in the info string or on the line before the fence.
    var fileName: String?
    /// The block's text, ending with a newline.
    var code: String
}

extension String {
    /// The text without leading and trailing blank lines, and without trailing whitespace.
    func trimmingBlankLines() -> String {
        var lines = split(separator: "\n", omittingEmptySubsequences: false)
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
