import AutoCoder
import Foundation

/// A language's toolchain: its ``LanguageRules`` (files, prompts, replies) and how its code is tested and run.
///
/// Each language is one folder (`Python/`, `Swift/`) holding its toolchain, and one line of ``Toolchains``.
/// Its executor follows one verdict path: a fresh workspace, the sandbox, the runner's report, the shared
/// ``TestResult/applyVerdictRules(exitCode:runner:)``, then the workspace's checks (tests unchanged, disk) and
/// the redaction of secrets (``Workspace/finalVerdict(_:tests:)``).
public protocol Toolchain: LanguageRules {
    /// Opens what this language's runs share for as long as the caller needs them (warm workers, for a `solve` or
    /// a whole `bench`), with `settings`. Close it when done.
    func open(_ settings: ToolchainSettings) -> any ToolchainRuntime

    /// Why `task`'s tests cannot run at all (no runner, a suite that does not load), found before any model is
    /// called; `nil` when they can.
    func preflight(_ task: CodingTask, settings: ToolchainSettings) async -> ToolchainProblem?

    /// What `doctor` says of this toolchain on this machine.
    func diagnose(_ settings: ToolchainSettings) async -> ToolchainDiagnosis

    /// The file name a program given inline (`exec -c CODE`) is written under.
    var inlineProgramName: String { get }

    /// What this toolchain knows of the existing project at `root` (`autocoder fix`): its test command and test
    /// files; `nil` when it does not recognise the project. Nothing by default.
    func recognise(projectAt root: URL, settings: ToolchainSettings) async -> ProjectFacts?

    /// `command` changed to also write a JUnit report to `report`, when this toolchain knows its runner; else `nil`.
    func reportingCommand(_ command: String, report: String) -> String?

    /// What a project's own command needs of this toolchain in the sandbox (its interpreter's directories).
    func commandRuntime(_ settings: ToolchainSettings) async -> CommandRuntime

    /// Why the failures of a project's baseline run (`fix`, before any change) are not the code's to fix, read in
    /// this language's words (a test file that does not parse, a dependency that is not installed); `nil` when
    /// they are, and by default.
    func unfixable(_ baseline: TestResult, projectAt root: URL) -> String?

    /// `file` with the tests its track marks skipped turned on (`#[ignore]`, `xtest`, `@Disabled`), as an
    /// Exercism benchmark runs them all. The file as it is by default.
    func enablingSkippedTests(in file: CodeFile) -> CodeFile
}

/// What a toolchain found in an existing project.
public struct ProjectFacts: Hashable, Sendable {
    /// The command that runs its tests, from its root.
    public var testCommand: String
    /// Glob patterns of its test files.
    public var testPatterns: [String]

    public init(testCommand: String, testPatterns: [String]) {
        self.testCommand = testCommand
        self.testPatterns = testPatterns
    }
}

extension Toolchain {
    public func recognise(projectAt root: URL, settings: ToolchainSettings) async -> ProjectFacts? { nil }

    public func reportingCommand(_ command: String, report: String) -> String? { nil }

    public func commandRuntime(_ settings: ToolchainSettings) async -> CommandRuntime { CommandRuntime() }

    public func unfixable(_ baseline: TestResult, projectAt root: URL) -> String? { nil }

    public func enablingSkippedTests(in file: CodeFile) -> CodeFile { file }
}

/// A toolchain opened for a while: it makes executors that share its resources, and releases them when closed.
public protocol ToolchainRuntime: Sendable {
    /// An executor for one task's runs (finish it when the task is done).
    func executor() -> any CodeExecutor & CodeRunner

    /// Readies what later runs reuse, for `workers` runs at once. Nothing by default.
    func warmUp(workers: Int) async

    /// Releases what the runtime holds (stops warm workers). Nothing by default.
    func close() async
}

extension ToolchainRuntime {
    public func warmUp(workers: Int) async {}

    public func close() async {}
}

/// Why a toolchain cannot run a task's tests.
public enum ToolchainProblem: Error, Hashable, Sendable {
    /// The runner is missing or broken on this machine (exit 3).
    case unavailable(String)
    /// The task's tests cannot run as given (exit 2).
    case badTask(String)

    public var message: String {
        switch self {
        case .unavailable(let message), .badTask(let message): message
        }
    }
}

/// What `doctor` reports of one toolchain.
public struct ToolchainDiagnosis: Sendable {
    /// One field of `doctor --json`.
    public enum Value: Hashable, Sendable, Encodable {
        case text(String?)
        case flag(Bool)

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .flag(let flag): try container.encode(flag)
            }
        }
    }

    public var language: Language
    /// The lines of the text report.
    public var lines: [String]
    /// The fields it adds to `doctor --json`, in order.
    public var fields: [(key: String, value: Value)]
    /// What the code needs to read besides the system's directories (an interpreter's prefix), for the view.
    public var runtimeDirectories: [String]
    /// Why this language's tests cannot run here, or `nil`.
    public var problem: String?

    public init(
        language: Language, lines: [String], fields: [(key: String, value: Value)], runtimeDirectories: [String] = [],
        problem: String? = nil
    ) {
        self.language = language
        self.lines = lines
        self.fields = fields
        self.runtimeDirectories = runtimeDirectories
        self.problem = problem
    }
}
