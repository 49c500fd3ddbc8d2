import AutoCoder
import Foundation

/// Runs JavaScript tests with node's own test runner (`node:test`), each test file in one node process of its own
/// inside the ``Sandbox``, under node's permission model and autocoder's guard: the readable reporter goes to the
/// output, the JUnit reporter writes the report outside the working directory, and autocoder's reporter seals each
/// test's outcome (``NodeSeal``, docs/INTEGRITY.md). A test file that cannot even be loaded (a syntax error, a
/// missing module) is `error`, with the error's line fed back.
public struct NodeTestExecutor: SettingsOnlyExecutor {
    /// The `node` to use (a path or a name on `PATH`); `nil` means `node` on `PATH`.
    public var node: String?
    /// A forged or missing seal is never a pass unless integrity is `off`.
    public var settings: ExecutorSettings

    public init(node: String? = nil, settings: ExecutorSettings = ExecutorSettings()) {
        self.node = node
        self.settings = settings
    }

    public init(settings: ExecutorSettings) {
        self.init(node: nil, settings: settings)
    }

    /// The reporters of every run: readable on stdout, JUnit into `report`.
    static func reporterArguments(report: String) -> [String] {
        [
            "--test-reporter=spec", "--test-reporter-destination=stdout", "--test-reporter=junit",
            "--test-reporter-destination=\(report)",
        ]
    }

    /// How node runs `testFile`: under its permission model (reads in the workspace, writes where the sandbox lets
    /// the run write; no inspector or add-on; child processes and workers, which suites use, are allowed: a worker
    /// keeps the model, and a child cannot read this process's memory), with autocoder's guard as the main module
    /// (``NodeSeal``), which loads Jest's globals (``JestCompatibility``) and then the test file, ES modules told
    /// from CommonJS by their syntax, as Babel lets Jest suites mix them.
    static func runArguments(workspace: Workspace, report: String, testFile: String) -> [String] {
        let harness = workspace.harnessDirectory
        return ["--experimental-permission", "--allow-child-process", "--allow-worker"]
            + workspace.writablePaths.flatMap { ["--allow-fs-read=\($0)", "--allow-fs-write=\($0)"] }
            + ["--allow-fs-read=\(harness.path)"] + [
                "--disable-warning=ExperimentalWarning", "--disable-warning=SecurityWarning",
                "--disable-warning=MaxListenersExceededWarning", "--experimental-detect-module",
            ] + reporterArguments(report: report) + [
                "--test-reporter=\(harness.appendingPathComponent(NodeSeal.reporterFileName).path)",
                "--test-reporter-destination=stdout", harness.appendingPathComponent(NodeSeal.guardFileName).path,
                testFile,
            ]
    }

    public func test(_ files: [CodeFile], for task: CodingTask) async throws -> TestResult {
        let node: String
        do {
            node = try locateNode()
        } catch {
            return TestResult(outcome: .infrastructureError, message: error.localizedDescription)
        }
        let all = NodeImports.resolvingExtensionless(
            task.starterFiles.overlaid(with: files).overlaid(with: task.tests.map(JestCompatibility.importingGlobals)))
        let tests = all.filter { file in task.tests.contains { $0.path == file.path } }
        let testFiles = tests.filter {
            JavaScriptToolchain().isSource($0.path) && NodeTestVerdict.declaresTests($0.content)
        }
        let skipsDeclared = tests.contains { NodeTestVerdict.declaresSkips($0.content) }
        return try await TestRun.perform(
            settings, task: task, files: all, tests: tests, keepWrittenFiles: true
        ) { run in
            // In a directory of its own that no run can write: a test file's run must not change what the next
            // one loads (its code once replaced Jest's matchers there for the next test file).
            let harness = run.workspace.harnessDirectory
            try run.workspace.writeHarness([
                (NodeSeal.guardFileName, NodeSeal.guardModule), (NodeSeal.reporterFileName, NodeSeal.reporter),
                (JestCompatibility.fileName, JestCompatibility.source),
                (JestCompatibility.globalsFileName, JestCompatibility.globalsModule),
            ])
            // The seal's secret lives in node's memory: node runs from a copy its user cannot read, which makes the
            // process non-dumpable, so a child the code starts cannot read that memory (``UnreadableExecutable``).
            let sealedNode = UnreadableExecutable.copy(of: node)
            let readOnly = [harness.path] + (sealedNode.map { [($0 as NSString).deletingLastPathComponent] } ?? [])
            var results: [TestResult] = []
            for (index, file) in testFiles.enumerated() {
                let report = "junit-\(index).xml"
                let seal = VerdictSeal()
                let tested = try await run.step(
                    sealedNode ?? node,
                    Self.runArguments(
                        workspace: run.workspace,
                        report: run.workspace.reportDirectory.appendingPathComponent(report).path,
                        testFile: file.path),
                    readOnly: readOnly, secret: seal.secret + "\n")
                let verdict = NodeTestVerdict(
                    run: tested, report: run.report(report), testFile: file.path, testFiles: tests.map(\.path),
                    workspace: run.workspace.directory.path, timeout: run.timeout, harness: harness.path)
                let result = verdict.sealed(
                    verdict.testResult, seal: seal, mode: integrity, skipsDeclared: skipsDeclared)
                results.append(result)
                if ![.passed, .failed, .noTests].contains(result.outcome) { break }
            }
            return NodeTestVerdict.merged(results)
        }
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
