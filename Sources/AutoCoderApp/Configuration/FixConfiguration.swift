/// What `fix` works on: an existing repository, its test command, and what to do with the result.
public struct FixConfiguration: Codable, Hashable, Sendable {
    /// The repository's root (a git repository or a plain directory).
    public var path: String
    /// The shell command that runs its tests; `nil` asks the toolchains to recognise the project.
    public var testCommand: String?
    /// What the change is for (feature work whose new tests were written first).
    public var goal: String?
    /// Glob patterns of the protected test files; empty takes the toolchain's test patterns.
    public var tests: [String]
    /// Files the model is always shown in full.
    public var files: [String]
    /// The repository map's budget, in tokens (about four characters each; default 1024).
    public var mapTokens: Int?
    /// What happens to the user's tree at the end.
    public var output: Output
    /// Apply or commit even when the work tree has uncommitted changes.
    public var allowDirty: Bool

    public enum Output: String, Codable, Hashable, Sendable {
        /// Only the unified diff (printed and recorded).
        case diff
        /// The changes written into the work tree.
        case apply
        /// The changes committed on a new branch `autocoder/<run id prefix>`.
        case commit
    }

    public init(
        path: String = ".", testCommand: String? = nil, goal: String? = nil, tests: [String] = [], files: [String] = [],
        mapTokens: Int? = nil, output: Output = .diff, allowDirty: Bool = false
    ) {
        self.path = path
        self.testCommand = testCommand
        self.goal = goal
        self.tests = tests
        self.files = files
        self.mapTokens = mapTokens
        self.output = output
        self.allowDirty = allowDirty
    }

    public static let defaultMapTokens = 1024
    /// The default wall-clock limit of one run of the test command, in seconds (`--timeout` sets another).
    public static let defaultTimeout: Int64 = 300
    /// The most characters of files shown in full.
    public static let fileBudget = 48_000
}
