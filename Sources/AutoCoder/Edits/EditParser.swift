import Foundation

/// Reads the edits of a reply: SEARCH/REPLACE blocks, and fenced blocks that name a file (whole files).
///
/// ```
/// path/to/file.py
/// <<<<<<< SEARCH
/// exact existing lines
/// =======
/// replacement lines
/// >>>>>>> REPLACE
/// ```
///
/// The path is the last line before `<<<<<<< SEARCH` that is not blank and not a fence (it may be in backticks or
/// bold); a block may sit inside a fence or not, and a fence may hold several.
public enum EditParser {
    /// The edits in `reply`, in order.
    public static func edits(in reply: String) -> [FileEdit] {
        let lines = reply.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        var edits: [FileEdit] = []
        var index = 0
        var lastPath: String?
        while index < lines.count {
            guard isMarker(lines[index], "<", "SEARCH") else {
                index += 1
                continue
            }
            let path = path(before: index, in: lines) ?? lastPath
            var search: [Substring] = []
            var replace: [Substring] = []
            var cursor = index + 1
            while cursor < lines.count, !isDivider(lines[cursor]) {
                search.append(lines[cursor])
                cursor += 1
            }
            cursor += 1
            while cursor < lines.count, !isMarker(lines[cursor], ">", "REPLACE") {
                replace.append(lines[cursor])
                cursor += 1
            }
            guard cursor < lines.count, let path else { break }
            edits.append(.replace(path: path, search: joined(search), replace: joined(replace)))
            lastPath = path
            index = cursor + 1
        }
        let wholeFiles = FenceScanner(text: reply).scan().blocks.filter { block in
            block.fileName != nil && !block.code.contains("<<<<<<< SEARCH") && !block.code.contains(">>>>>>> REPLACE")
        }
        return edits + wholeFiles.map { .whole(path: $0.fileName!, content: $0.code) }
    }

    /// `<<<<<<< SEARCH` or `>>>>>>> REPLACE`: five to nine of `character`, then `word`.
    static func isMarker(_ line: Substring, _ character: Character, _ word: String) -> Bool {
        let text = line.trimmingCharacters(in: .whitespaces)
        let run = text.prefix { $0 == character }
        return (5...9).contains(run.count) && text.dropFirst(run.count).trimmingCharacters(in: .whitespaces) == word
    }

    /// `=======`: five to nine `=`.
    static func isDivider(_ line: Substring) -> Bool {
        let text = line.trimmingCharacters(in: .whitespaces)
        return (5...9).contains(text.count) && text.allSatisfy { $0 == "=" }
    }

    /// The file name on the last meaningful line before `index`: not blank, not a fence opening.
    private static func path(before index: Int, in lines: [Substring]) -> String? {
        var cursor = index - 1
        while cursor >= 0 {
            let text = lines[cursor].trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("```") || text.hasPrefix("~~~") {
                cursor -= 1
                continue
            }
            let name = text.trimmingCharacters(in: CharacterSet(charactersIn: "`*#:> ")).trimmingCharacters(
                in: .whitespaces)
            guard !name.isEmpty, !name.contains(" "), !isMarker(lines[cursor], ">", "REPLACE") else { return nil }
            return name
        }
        return nil
    }

    private static func joined(_ lines: [Substring]) -> String {
        lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }
}
