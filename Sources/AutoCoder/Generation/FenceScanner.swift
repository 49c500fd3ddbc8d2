import Foundation

/// Finds the fenced code blocks of a Markdown-like text, line by line.
struct FenceScanner {
    let lines: [Substring]

    init(text: String) {
        self.lines = text.replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The complete blocks, and whether the text ends inside an open block.
    func scan() -> (blocks: [CodeBlock], unterminated: Bool) {
        var blocks: [CodeBlock] = []
        var index = 0
        while index < lines.count {
            guard let fence = Fence(opening: lines[index]) else {
                index += 1
                continue
            }
            var body: [Substring] = []
            var closed = false
            var cursor = index + 1
            while cursor < lines.count {
                if fence.isClosed(by: lines[cursor]) {
                    closed = true
                    break
                }
                body.append(fence.dedented(lines[cursor]))
                cursor += 1
            }
            guard closed else { return (blocks, true) }
            let before = index > 0 ? Self.fileName(inLineBefore: lines[index - 1]) : nil
            let code = body.joined(separator: "\n")
            blocks.append(
                CodeBlock(
                    tag: fence.tag, fileName: Self.fileName(inInfo: fence.info) ?? before,
                    code: code.isEmpty ? "" : code + "\n"))
            index = cursor + 1
        }
        return (blocks, false)
    }

    /// A file name in a fence's info string: `python solution.py`, `python:solution.py`, `title="a/b.py"`.
    static func fileName(inInfo info: Substring) -> String? {
        let separators: Set<Character> = [" ", "\t", ":", "=", "\"", "'", "{", "}", ","]
        let tokens = info.split(whereSeparator: { separators.contains($0) })
        return tokens.lazy.map(String.init).first(where: isFileName)
    }

    /// A file name standing alone on the line before a fence (`**solution.py**`, `File: solution.py`, `# a/b.py`),
    /// or ending a line that ends with a colon ("Here is the fixed `solution.py`:").
    static func fileName(inLineBefore line: Substring) -> String? {
        let decoration = Set<Character>("#*`_>:- \t")
        var text = Substring(line.drop(while: { decoration.contains($0) }))
        while let last = text.last, decoration.contains(last) { text = text.dropLast() }
        for prefix in ["file:", "filename:", "file name:", "path:"] where text.lowercased().hasPrefix(prefix) {
            text = text.dropFirst(prefix.count).drop(while: { $0 == " " })
        }
        if isFileName(String(text)) { return String(text) }
        let trimmedLine = line.trimmingCharacters(in: .whitespaces)
        guard trimmedLine.hasSuffix(":"), let lastWord = trimmedLine.dropLast().split(separator: " ").last else {
            return nil
        }
        let candidate = String(lastWord.filter { !"`*_'\"".contains($0) })
        return isFileName(candidate) ? candidate : nil
    }

    /// Whether `token` looks like a relative file path with an extension that starts with a letter.
    static func isFileName(_ token: String) -> Bool {
        guard let dot = token.lastIndex(of: "."), dot != token.startIndex else { return false }
        let ext = token[token.index(after: dot)...]
        guard let first = ext.first, first.isLetter, ext.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            return false
        }
        let allowed = Set<Character>("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-")
        return token.allSatisfy { allowed.contains($0) } && AttemptCheck.isSafeRelativePath(token)
    }
}

/// An opening code fence and the rules for the lines it governs.
private struct Fence {
    let character: Character
    let length: Int
    let indent: Int
    let info: Substring

    init?(opening line: Substring) {
        let indent = line.prefix(while: { $0 == " " }).count
        let rest = line.dropFirst(indent)
        guard let first = rest.first, first == "`" || first == "~" else { return nil }
        let run = rest.prefix(while: { $0 == first }).count
        guard run >= 3 else { return nil }
        let info = rest.dropFirst(run).trimmingCharacters(in: .whitespaces)
        if first == "`" && info.contains("`") { return nil }
        self.character = first
        self.length = run
        self.indent = indent
        self.info = Substring(info)
    }

    /// The first word of the info string, lower-cased.
    var tag: String {
        String(info.prefix(while: { !$0.isWhitespace && $0 != ":" && $0 != "{" })).lowercased()
    }

    func isClosed(by line: Substring) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.count >= length && trimmed.allSatisfy { $0 == character }
    }

    /// The line without the fence's own indentation.
    func dedented(_ line: Substring) -> Substring {
        var result = line
        var removed = 0
        while removed < indent, result.first == " " {
            result = result.dropFirst()
            removed += 1
        }
        return result
    }
}
