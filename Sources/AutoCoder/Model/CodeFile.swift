import Foundation

/// A file of a task or a workspace: a path relative to the workspace and its text, or, for a data file that is
/// not text (an image a test reads, say), its bytes.
public struct CodeFile: Codable, Hashable, Sendable {
    /// The path relative to the workspace root, with `/` as separator (for example `solution.py`).
    public var path: String
    /// The full text of the file (empty for a binary file).
    public var content: String
    /// The bytes of a file that is not UTF-8 text; `nil` for text. Such a file is written byte for byte and never
    /// shown to a model.
    public var data: Data?

    public init(path: String, content: String) {
        self.path = path
        self.content = content
    }

    /// A file that is not text.
    public init(path: String, data: Data) {
        self.path = path
        self.content = ""
        self.data = data
    }

    /// What is written to disk: the bytes, or the text as UTF-8.
    public var bytes: Data { data ?? Data(content.utf8) }

    /// Whether the file is binary data rather than text.
    public var isBinary: Bool { data != nil }

    enum CodingKeys: CodingKey { case path, content, data }

    /// Written by hand: `data` is there only for a file that is not text; a text file is `{path, content}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(content, forKey: .content)
        if let data { try container.encode(data, forKey: .data) }
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
