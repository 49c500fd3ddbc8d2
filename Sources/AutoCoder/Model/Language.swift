/// The programming language of a task: it decides the test runner and the default solution file.
public enum Language: String, Codable, Hashable, Sendable, CaseIterable {
    case python
    case swift

    /// The file the generator writes when the task names none.
    public var defaultSolutionPath: String {
        switch self {
        case .python: "solution.py"
        case .swift: "Sources/Solution/Solution.swift"
        }
    }

    /// The file name extension of source files, without the dot.
    public var fileExtension: String {
        switch self {
        case .python: "py"
        case .swift: "swift"
        }
    }

    /// Names a model may put on a fenced code block of this language.
    public var fenceTags: Set<String> {
        switch self {
        case .python: ["python", "py", "python3"]
        case .swift: ["swift"]
        }
    }
}
