import AutoCoder
import Foundation

/// What the model is shown of a repository: a map (its files, each with its top-level names), and which files
/// the test output points at.
public enum RepositoryMap {
    /// The text files under `root` by relative path, sorted, skipping version control and caches, files over
    /// `RepositoryMap.largestFile` bytes, and files that are not UTF-8.
    public static func files(under root: URL) -> [String] {
        let base = root.resolvingSymlinksInPath().path
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if RepositoryCopy.skipped.contains(name) || name.hasPrefix(".") {
                enumerator.skipDescendants()
                continue
            }
            let attributes = enumerator.fileAttributes
            guard attributes?[.type] as? FileAttributeType == .typeRegular,
                (attributes?[.size] as? Int ?? 0) <= largestFile
            else { continue }
            files.append(relative)
        }
        return files.sorted()
    }

    /// The largest file shown or mapped, in bytes.
    public static let largestFile = 200_000

    /// The files among `files` that `output` names (a traceback's `File "…/pkg/mod.py", line 3`, a compiler's
    /// `Sources/A/B.swift:12:5`), in the order they first appear.
    public static func mentioned(in output: String, files: [String]) -> [String] {
        files.compactMap { path in output.range(of: path).map { (path, $0.lowerBound) } }
            .sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// The map: each file (those in `first` first, then the rest by path) with the top-level names its language
    /// defines, within `characters`; what did not fit is counted at the end.
    public static func text(
        root: URL, files: [String], first: [String], languages: LanguageCatalog, characters: Int
    ) -> String {
        let ordered = first + files.filter { !first.contains($0) }
        var lines: [String] = []
        var used = 0
        for (index, path) in ordered.enumerated() {
            var line = path
            if let rules = languages.rules(forFile: path),
                let content = try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            {
                let names = topLevelNames(content, rules: rules)
                if !names.isEmpty { line += ": " + names.joined(separator: ", ") }
            }
            if used + line.count + 1 > characters {
                lines.append("… and \(ordered.count - index) more file(s)")
                break
            }
            lines.append(line)
            used += line.count + 1
        }
        return lines.joined(separator: "\n")
    }

    /// The names defined by the unindented lines of `content`, in order.
    static func topLevelNames(_ content: String, rules: any LanguageRules) -> [String] {
        var names: [String] = []
        for line in content.split(separator: "\n") where !(line.first?.isWhitespace ?? true) {
            for name in rules.definedNames(in: String(line), includingLocals: false).sorted()
            where !names.contains(name) {
                names.append(name)
            }
        }
        return names
    }
}
