import AutoCoder
import Foundation

/// Runs JavaScript tests with node's own test runner (`node --test`), each run in a fresh workspace inside the
/// ``Sandbox``: the JUnit reporter writes the report outside the working directory, the readable reporter goes to
/// the output. A test file that cannot even be loaded (a syntax error, a missing module) is `error`, with the
/// error's line fed back.
public struct NodeTestExecutor: CodeExecutor {
    /// The `node` to use (a path or a name on `PATH`); `nil` means `node` on `PATH`.
    public var node: String?
    public var timeout: Duration
    public var outputLimit: Int
    public var outputKillLimit: Int
    public var limits: ResourceLimits
    public var sandbox: Sandbox

    public init(
        node: String? = nil, timeout: Duration = .seconds(30), outputLimit: Int = 256 * 1024,
        outputKillLimit: Int = 16 * 1_048_576, limits: ResourceLimits = ResourceLimits(), sandbox: Sandbox = Sandbox()
    ) {
        self.node = node
        self.timeout = timeout
        self.outputLimit = outputLimit
        self.outputKillLimit = outputKillLimit
        self.limits = limits
        self.sandbox = sandbox
    }

    /// The reporters of every run: readable on stdout, JUnit into `report`.
    static func reporterArguments(report: String) -> [String] {
        [
            "--test-reporter=spec", "--test-reporter-destination=stdout", "--test-reporter=junit",
            "--test-reporter-destination=\(report)",
        ]
    }

    /// What node loads first: Jest's globals and the extensionless resolver (``JestCompatibility``), with ES
    /// modules told from CommonJS by their syntax, as Babel lets Jest suites mix them.
    static func loaderArguments(compatibility: URL) -> [String] {
        ["--experimental-detect-module", "--import", compatibility.absoluteString]
    }

    public func test(_ files: [CodeFile], for task: CodingTask) async throws -> TestResult {
        let node: String
        do {
            node = try locateNode()
        } catch {
            return TestResult(outcome: .infrastructureError, message: error.localizedDescription)
        }
        let workspace: Workspace
        switch Workspace.forTestRun(
            sandbox: sandbox, files: task.starterFiles.overlaid(with: files).overlaid(with: task.tests),
            keepWrittenFiles: true)
        {
        case .success(let made): workspace = made
        case .failure(let failure): return failure.result
        }
        defer { workspace.remove() }
        let testFiles = task.tests.map(\.path).filter { JavaScriptToolchain().isSource($0) }
        let report = workspace.reportDirectory.appendingPathComponent("junit.xml").path
        let compatibility = workspace.reportDirectory.appendingPathComponent(JestCompatibility.fileName)
        do {
            try Data(JestCompatibility.source.utf8).write(to: compatibility)
        } catch {
            return TestResult(outcome: .infrastructureError, message: error.localizedDescription)
        }
        let runTimeout = task.timeoutSeconds.map { Duration.milliseconds(Int($0 * 1000)) } ?? timeout
        let environment = ChildEnvironment.allowlisted(home: workspace.home.path).merging(task.environment) { $1 }
        let run: SandboxedRun
        do {
            run = try await sandbox.run(
                ProcessRequest(
                    executable: node,
                    arguments: Self.loaderArguments(compatibility: compatibility) + ["--test"]
                        + Self.reporterArguments(report: report) + testFiles,
                    environment: environment, workingDirectory: workspace.directory.path, timeout: runTimeout,
                    outputLimit: outputLimit, outputKillLimit: outputKillLimit,
                    limits: limits.withCPUBackstop(for: runTimeout)),
                writable: workspace.writablePaths)
        } catch let error as ProcessLaunchError {
            return TestResult(outcome: .infrastructureError, message: error.localizedDescription)
        }
        let result = NodeTestVerdict(
            run: run, report: workspace.readBack(URL(fileURLWithPath: report)), testFiles: testFiles,
            sources: Dictionary(task.tests.map { ($0.path, $0.content) }) { first, _ in first },
            workspace: workspace.directory.path, timeout: runTimeout
        ).testResult
        return workspace.finalVerdict(result, tests: task.tests)
    }

    /// The `node` executable.
    /// - Throws: ``ToolMissing`` when there is none.
    func locateNode() throws -> String {
        let name = node ?? "node"
        guard
            let found = ExecutableSearch.locate(
                name, path: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        else {
            throw ToolMissing("No node '\(name)' was found on PATH. Install Node.js (Debian: apt-get install nodejs).")
        }
        return found
    }

    /// `node --version`, or `nil`.
    func version(of node: String) async -> String? {
        let result = try? await ProcessRunner().run(
            ProcessRequest(
                executable: node, arguments: ["--version"],
                workingDirectory: FileManager.default.temporaryDirectory.path,
                timeout: .seconds(10)))
        return result.flatMap {
            $0.exitCode == 0 ? $0.standardOutput.text.trimmingCharacters(in: .whitespacesAndNewlines) : nil
        }
    }
}

/// A tool a toolchain needs is not installed.
public struct ToolMissing: Error, LocalizedError, Hashable, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var errorDescription: String? { message }
}
