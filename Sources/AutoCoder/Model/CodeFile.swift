/// A file of source code: a path relative to the workspace and its text.
public struct CodeFile: Codable, Hashable, Sendable {
    /// The path relative to the workspace root, with `/` as separator (for example `solution.py`).
    public var path: String
    /// The full text of the file.
    public var content: String

    public init(path: String, content: String) {
        self.path = path
        self.content = content
    }
}

extension Array where Element == CodeFile {
    /// These files with `newer` laid over them: a file of `newer` replaces the file with the same path.
    public func overlaid(with newer: [CodeFile]) -> [CodeFile] {
        var result = self
        for file in newer {
            if let index = result.firstIndex(where: { $0.path == file.path }) {
                result[index] = file
            } else {
                result.append(file)
            }
        }
        return result
    }
}
