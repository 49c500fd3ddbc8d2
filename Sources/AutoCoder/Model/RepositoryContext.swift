/// What a task on an existing repository carries (`autocoder fix`): where the repository is, how its tests run,
/// which files are tests, and what the model is shown of it.
public struct RepositoryContext: Codable, Hashable, Sendable {
    /// The repository's root directory (never written during the run).
    public var root: String
    /// The commit the run started from, in a git repository.
    public var baseCommit: String?
    /// The shell command that runs the tests, from the root.
    public var testCommand: String
    /// Glob patterns of the protected test files (relative to the root): an edit that touches one is rejected.
    public var protectedPatterns: [String]
    /// The repository map shown to the model: the file tree and the top-level symbols of source files.
    public var map: String
    /// The files shown in full (those the failures point at, those the failing tests import, `--files`), as they
    /// are in the repository; edits apply to these and to the files earlier attempts changed.
    public var files: [CodeFile]
    /// What the run is for, in one line: the repository's name and the goal or the failing tests (the run's title in
    /// `runs list`, and its commit message's subject).
    public var title: String?

    public init(
        root: String, baseCommit: String? = nil, testCommand: String, protectedPatterns: [String], map: String = "",
        files: [CodeFile] = []
    ) {
        self.root = root
        self.baseCommit = baseCommit
        self.testCommand = testCommand
        self.protectedPatterns = protectedPatterns
        self.map = map
        self.files = files
    }

    /// Whether `path` is one of the protected test files.
    public func isProtected(_ path: String) -> Bool {
        protectedPatterns.contains { Glob.matches($0, path) }
    }

    enum CodingKeys: String, CodingKey {
        case root, map, files, baseCommit, testCommand, protectedPatterns
    }
}
