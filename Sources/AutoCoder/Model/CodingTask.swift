/// A coding task: what to build, the tests that decide whether it is built, and the limits of the attempt.
///
/// The test files are fixed: the generator sees them but never writes them.
public struct CodingTask: Codable, Hashable, Sendable {
    /// What the code must do, in prose.
    public var description: String
    /// The test files, written into the workspace root under their paths.
    public var tests: [CodeFile]
    /// The language of the solution and of the tests.
    public var language: Language
    /// The file the generator is asked to write (the module the tests import).
    public var solutionPath: String
    /// Files laid into the workspace before the generated ones (a starting point the generator may replace).
    public var starterFiles: [CodeFile]
    /// The task's own iteration limit; `nil` leaves the choice to the coder.
    public var maxIterations: Int?
    /// The task's own wall-clock limit for one test run, in seconds; `nil` leaves the choice to the executor.
    public var timeoutSeconds: Double?
    /// Tests never shown to the generator, run on the final solution only.
    public var holdoutTests: [CodeFile]
    /// Variables the test process gets on top of the allowlisted environment (see ``TestEnvironment``).
    public var environment: [String: String]
    /// The language mode the tests need, where a language has modes (Swift: "5" or "6"; `nil` for the default).
    public var languageMode: String?
    /// The repository the task changes (`autocoder fix`), or `nil` for a task that writes new files.
    public var repository: RepositoryContext?
    /// Whether the prompts leave the tests' code out (they still run; their failures are fed back), as Aider's
    /// polyglot benchmark does.
    public var testsHidden = false

    public init(
        description: String,
        tests: [CodeFile],
        language: Language,
        solutionPath: String,
        starterFiles: [CodeFile] = [],
        maxIterations: Int? = nil,
        timeoutSeconds: Double? = nil,
        holdoutTests: [CodeFile] = [],
        environment: [String: String] = [:],
        languageMode: String? = nil
    ) {
        self.description = description
        self.tests = tests
        self.language = language
        self.solutionPath = solutionPath
        self.starterFiles = starterFiles
        self.maxIterations = maxIterations
        self.timeoutSeconds = timeoutSeconds
        self.holdoutTests = holdoutTests
        self.environment = environment
        self.languageMode = languageMode
    }

    /// The task as the generator and the iterations see it: without the held-out tests.
    public var visible: CodingTask {
        var task = self
        task.holdoutTests = []
        return task
    }

    /// The task whose tests are the held-out ones.
    public var holdout: CodingTask {
        var task = self
        task.tests = holdoutTests
        task.holdoutTests = []
        return task
    }

    /// The test code as one text: a single file as it is, several files each under a `# file: PATH` line.
    public var testCode: String {
        if tests.count == 1 { return tests[0].content }
        return tests.filter { !$0.isBinary }.map { "# file: \($0.path)\n\($0.content)" }.joined(separator: "\n\n")
    }

    enum CodingKeys: String, CodingKey {
        case description, tests, language, solutionPath, starterFiles, maxIterations, timeoutSeconds, holdoutTests
        case languageMode, repository, testsHidden
        case environment = "env"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        description = try container.decode(String.self, forKey: .description)
        tests = try container.decode([CodeFile].self, forKey: .tests)
        language = try container.decode(Language.self, forKey: .language)
        solutionPath = try container.decode(String.self, forKey: .solutionPath)
        starterFiles = try container.decodeIfPresent([CodeFile].self, forKey: .starterFiles) ?? []
        maxIterations = try container.decodeIfPresent(Int.self, forKey: .maxIterations)
        timeoutSeconds = try container.decodeIfPresent(Double.self, forKey: .timeoutSeconds)
        holdoutTests = try container.decodeIfPresent([CodeFile].self, forKey: .holdoutTests) ?? []
        environment = try container.decodeIfPresent([String: String].self, forKey: .environment) ?? [:]
        languageMode = try container.decodeIfPresent(String.self, forKey: .languageMode)
        repository = try container.decodeIfPresent(RepositoryContext.self, forKey: .repository)
        testsHidden = try container.decodeIfPresent(Bool.self, forKey: .testsHidden) ?? false
    }
}
