import Foundation

/// Applies a reply's edits to the files they change, reliably or not at all.
///
/// A SEARCH must match exactly one place: first exactly; then line by line ignoring trailing whitespace and
/// indentation (the replacement then takes the indentation of the lines it replaces); then nothing. A missing or
/// ambiguous SEARCH is never guessed at: the failure says so, with the closest lines of the file.
public enum EditApplier {
    /// The files `edits` produce from `base` (path → content, the files as they are now; `read` gives any other
    /// existing file), in the order first changed; or why one edit cannot apply.
    public static func apply(
        _ edits: [FileEdit], to base: [String: String], read: (String) -> String? = { _ in nil }
    ) -> Result<[CodeFile], EditFailure> {
        var current = base
        var changed: [String] = []
        for edit in edits {
            let path = edit.path
            guard AttemptCheck.isSafeRelativePath(path) else {
                return .failure(EditFailure(path: path, reason: "it is not a relative path inside the repository"))
            }
            switch edit {
            case .whole(_, let content):
                current[path] = content
            case .replace(_, let search, let replace):
                if search.isEmpty {
                    if let existing = current[path] ?? read(path), !existing.isEmpty {
                        return .failure(
                            EditFailure(
                                path: path,
                                reason:
                                    "an empty SEARCH creates a file, and this file exists; quote the lines to change"))
                    }
                    current[path] = replace
                } else {
                    guard let content = current[path] ?? read(path) else {
                        return .failure(EditFailure(path: path, reason: "there is no such file"))
                    }
                    switch replaced(search, with: replace, in: content) {
                    case .success(let text): current[path] = text
                    case .failure(var failure):
                        failure.path = path
                        return .failure(failure)
                    }
                }
            }
            if !changed.contains(path) { changed.append(path) }
        }
        return .success(changed.map { CodeFile(path: $0, content: current[$0] ?? "") })
    }

    /// `content` with the one place that matches `search` replaced.
    static func replaced(_ search: String, with replace: String, in content: String) -> Result<String, EditFailure> {
        let exact = content.ranges(of: search)
        if exact.count == 1 { return .success(content.replacingCharacters(in: exact[0], with: replace)) }
        if exact.count > 1 {
            return .failure(
                EditFailure(
                    path: "",
                    reason: "the SEARCH lines occur \(exact.count) times; quote more lines so they match one place"))
        }
        let lines = content.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var wanted = search.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if wanted.last == "" { wanted.removeLast() }
        let key = { (line: String) in line.trimmingCharacters(in: .whitespaces) }
        let starts = lines.indices.filter { start in
            start + wanted.count <= lines.count
                && wanted.indices.allSatisfy { key(lines[start + $0]) == key(wanted[$0]) }
        }
        guard starts.count == 1, let start = starts.first else {
            if starts.count > 1 {
                return .failure(
                    EditFailure(
                        path: "",
                        reason:
                            "the SEARCH lines match \(starts.count) places once indentation is ignored; quote more lines"
                    ))
            }
            return .failure(
                EditFailure(
                    path: "", reason: "the SEARCH lines are not in the file", closest: closest(wanted, in: lines)))
        }
        let indent = { (line: String) in String(line.prefix { $0 == " " || $0 == "\t" }) }
        let found = indent(lines[start])
        let given = indent(wanted.first { !key($0).isEmpty } ?? "")
        var replacement = replace.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if replacement.last == "" { replacement.removeLast() }
        let reindented = replacement.map { line -> String in
            guard !key(line).isEmpty else { return line }
            return line.hasPrefix(given) ? found + line.dropFirst(given.count) : line
        }
        let result = lines[..<start] + reindented + lines[(start + wanted.count)...]
        return .success(result.joined(separator: "\n"))
    }

    /// The lines of the file most like `wanted`: the window of its length with the most lines equal once trimmed.
    static func closest(_ wanted: [String], in lines: [String]) -> String? {
        guard !wanted.isEmpty, !lines.isEmpty else { return nil }
        let key = { (line: String) in line.trimmingCharacters(in: .whitespaces) }
        let wantedKeys = wanted.map(key)
        var best: (start: Int, score: Int)?
        for start in 0..<max(1, lines.count - wanted.count + 1) {
            let window = lines[start..<min(lines.count, start + wanted.count)].map(key)
            let score = zip(window, wantedKeys).filter { $0 == $1 && !$0.isEmpty }.count
            if score > (best?.score ?? 0) { best = (start, score) }
        }
        guard let best else { return nil }
        return lines[best.start..<min(lines.count, best.start + wanted.count)].joined(separator: "\n")
    }
}

/// Why an edit could not be applied, said so that the model can do better.
public struct EditFailure: Error, Hashable, Sendable {
    public var path: String
    public var reason: String
    /// The lines of the file closest to a SEARCH that matched nothing.
    public var closest: String?

    public init(path: String, reason: String, closest: String? = nil) {
        self.path = path
        self.reason = reason
        self.closest = closest
    }

    /// The feedback: what failed, and the closest lines when there are some.
    public var message: String {
        var text = "The edit of \(path) could not be applied: \(reason). Nothing of this reply was applied."
        if let closest {
            text += " The closest lines in \(path) are:\n```\n\(closest)\n```\nQuote the SEARCH lines exactly."
        }
        return text
    }
}
