/// A unified diff of two texts, line by line (longest common subsequence).
public enum LineDiff {
    /// The most lines on either side that are diffed; beyond that the whole text is shown as replaced.
    public static let lineLimit = 3_000

    private enum Edit: Equatable {
        case same(String)
        case removed(String)
        case added(String)

        var isSame: Bool { if case .same = self { true } else { false } }
        var inOld: Bool { if case .added = self { false } else { true } }
        var inNew: Bool { if case .removed = self { false } else { true } }
    }

    /// The unified diff from `old` to `new` with `context` lines around each change; empty when they are equal.
    public static func unified(old: String, new: String, oldName: String, newName: String, context: Int = 2) -> String {
        guard old != new else { return "" }
        let edits = script(lines(old), lines(new))
        // A range of edits around each change, merged where they touch.
        var ranges: [Range<Int>] = []
        for (index, edit) in edits.enumerated() where !edit.isSame {
            let range = max(0, index - context)..<min(edits.count, index + context + 1)
            if let last = ranges.last, last.upperBound >= range.lowerBound {
                ranges[ranges.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                ranges.append(range)
            }
        }
        var output = ["--- \(oldName)", "+++ \(newName)"]
        for range in ranges {
            let before = edits[..<range.lowerBound]
            let hunk = edits[range]
            output.append(
                "@@ -\(before.filter(\.inOld).count + 1),\(hunk.filter(\.inOld).count) "
                    + "+\(before.filter(\.inNew).count + 1),\(hunk.filter(\.inNew).count) @@")
            for edit in hunk {
                switch edit {
                case .same(let line): output.append(" " + line)
                case .removed(let line): output.append("-" + line)
                case .added(let line): output.append("+" + line)
                }
            }
        }
        return output.joined(separator: "\n")
    }

    private static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The edits that turn `old` into `new`.
    private static func script(_ old: [String], _ new: [String]) -> [Edit] {
        guard old.count <= lineLimit, new.count <= lineLimit else {
            return old.map(Edit.removed) + new.map(Edit.added)
        }
        let rows = old.count + 1
        let columns = new.count + 1
        // lengths[i * columns + j]: the LCS length of old[i...] and new[j...].
        var lengths = [Int32](repeating: 0, count: rows * columns)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                lengths[i * columns + j] =
                    old[i] == new[j]
                    ? lengths[(i + 1) * columns + j + 1] + 1
                    : max(lengths[(i + 1) * columns + j], lengths[i * columns + j + 1])
            }
        }
        var edits: [Edit] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, old[i] == new[j] {
                edits.append(.same(old[i]))
                i += 1
                j += 1
            } else if i < old.count, j == new.count || lengths[(i + 1) * columns + j] >= lengths[i * columns + j + 1] {
                edits.append(.removed(old[i]))
                i += 1
            } else {
                edits.append(.added(new[j]))
                j += 1
            }
        }
        return edits
    }
}
