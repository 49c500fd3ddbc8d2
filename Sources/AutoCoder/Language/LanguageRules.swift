/// What the core needs to know of a language to load a task and read a reply: its files, how a model names it,
/// and what a piece of its code defines. A toolchain (which also runs the tests) provides it.
public protocol LanguageRules: Sendable {
    /// The name tasks carry.
    var language: Language { get }
    /// The name prompts use (`Python`).
    var displayName: String { get }
    /// The extensions of its source files, without the dot; the first is the one test files are recognised by.
    var fileExtensions: [String] { get }
    /// The tags a model may put on a fenced block of this language; the first is the one prompts use.
    var fenceTags: [String] { get }
    /// The solution file for `settings` (its `solution` and `module`), or an ``InputError`` naming what is wrong.
    func solutionPath(for settings: TaskSettings) throws -> String
    /// The names `code` defines (functions, types, variables), to tell which block of a reply holds what the tests
    /// use; `includingLocals` also counts names bound inside functions (for the tests' own code).
    func definedNames(in code: String, includingLocals: Bool) -> Set<String>
    /// Where a file a reply names only by its bare name goes, given the task's solution file.
    func placement(ofBareName name: String, solutionPath: String) -> String
    /// The solution file from a reply's code and the task's starter for that file (a completion-style reply is
    /// merged with its starter); `starter` is never empty.
    func completing(_ code: String, starter: String) -> String
    /// The files among `files` (a repository's, by relative path) that `code`, the file at `path`, imports.
    func importedFiles(by code: String, at path: String, among files: Set<String>) -> [String]
    /// What a model should know of how its code is built and run here (versions, libraries), for the system
    /// prompt; `nil` says nothing.
    var environmentFacts: String? { get }
    /// Whether a reply may write the file at `path`. A compiled language's build obeys files beside the sources
    /// (a cargo config, an included `.inc`) that its scan never reads: it takes its source files only. Every
    /// file by default.
    func mayWrite(_ path: String) -> Bool
}

extension LanguageRules {
    public func placement(ofBareName name: String, solutionPath: String) -> String { name }

    public func completing(_ code: String, starter: String) -> String { code }

    public func importedFiles(by code: String, at path: String, among files: Set<String>) -> [String] { [] }

    public var environmentFacts: String? { nil }

    public func mayWrite(_ path: String) -> Bool { true }

    /// Whether `path` is a source file of this language.
    public func isSource(_ path: String) -> Bool {
        fileExtensions.contains { path.hasSuffix("." + $0) }
    }

    /// The names that match any capture group of `pattern` in `code`.
    public func names(matching pattern: String, in code: String) -> Set<String> {
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
