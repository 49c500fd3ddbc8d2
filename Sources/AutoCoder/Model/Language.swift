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

    /// The names that `code` defines: functions and types at any depth, and variables (for Python, only at the
    /// top level unless `includingLocals`), to tell which block of a reply holds what the tests use.
    public func definedNames(in code: String, includingLocals: Bool = false) -> Set<String> {
        let pattern =
            switch self {
            case .python:
                #"(?m)^\s*(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)|^"# + (includingLocals ? #"\s*"# : "")
                    + #"([A-Za-z_]\w*)\s*(?::[^=\n]*)?=(?!=)"#
            case .swift:
                #"\b(?:func|struct|class|enum|protocol|actor|typealias|extension|let|var)\s+([A-Za-z_]\w*)"#
            }
        guard let regex = try? Regex(pattern) else { return [] }
        var names: Set<String> = []
        for match in code.matches(of: regex) {
            for index in 1..<match.count {
                if let name = match[index].substring { names.insert(String(name)) }
            }
        }
        return names
    }
}
