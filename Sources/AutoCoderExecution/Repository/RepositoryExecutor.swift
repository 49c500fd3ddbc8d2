import AutoCoder
import Foundation
import Synchronization

/// Runs a repository's own test command against an attempt: in a fresh view of the repository inside the
/// sandbox (an overlay over the user's tree as root, else a copy; the user's tree is never written), with the attempt's files laid over it, the limits of `test`, no
/// network, and the protected test files checked after the run.
public struct RepositoryExecutor: CodeExecutor {
    /// The wall-clock limit of one run of the test command.
    public var timeout: Duration
    public var sandbox: Sandbox
    public var outputLimit: Int
    public var outputKillLimit: Int
    public var limits: ResourceLimits
    /// What the command needs besides the system's directories (an interpreter's prefix, a toolchain), and the
    /// directories put first on its `PATH`.
    public var runtime: CommandRuntime
    /// Turns the test command into one that also writes a JUnit report (the toolchain knows its runner), or `nil`.
    public var reporting: @Sendable (_ command: String, _ report: String) -> String?
    /// The protected files the suite itself changes when it runs on the untouched tree (a run with no attempt):
    /// fixtures, golden files, snapshots and timestamps that its tests update, as they would at home.
    let suiteWrites = SuiteWrites()
    /// The virtualenvs the command runs in that the sandbox would not show (poetry's, under the user's cache).
    let activated = ActivatedEnvironments()

    public init(
        timeout: Duration = .seconds(120), sandbox: Sandbox = Sandbox(), outputLimit: Int = 256 * 1024,
        outputKillLimit: Int = 16 * 1_048_576, limits: ResourceLimits = ResourceLimits(),
        runtime: CommandRuntime = CommandRuntime(),
        reporting: @escaping @Sendable (String, String) -> String? = { _, _ in nil }
    ) {
        self.timeout = timeout
        self.sandbox = sandbox
        self.outputLimit = outputLimit
        self.outputKillLimit = outputKillLimit
        self.limits = limits
        self.runtime = runtime
        self.reporting = reporting
    }

    public func test(_ files: [CodeFile], for task: CodingTask) async throws -> TestResult {
        guard let repository = task.repository else {
            return TestResult(outcome: .infrastructureError, message: "The task names no repository.")
        }
        let root = URL(fileURLWithPath: repository.root)
        let workspace: Workspace
        do {
            workspace = try Workspace.create(sandbox: sandbox)
        } catch {
            return TestResult(outcome: .infrastructureError, message: error.localizedDescription)
        }
        defer { workspace.remove() }
        // An overlay over the user's tree where this process may mount one; a copy elsewhere.
        let overlay = await RepositoryOverlay.mount(root.path, into: workspace, user: sandbox.user)
        defer { overlay?.unmount() }
        let protected: [String: Data]
        do {
            if overlay == nil { try RepositoryCopy.copy(from: root, to: workspace.directory, user: sandbox.user) }
            protected = overlay == nil ? Self.protectedFiles(in: workspace.directory, repository: repository) : [:]
            try workspace.write(files)
            if let user = sandbox.user {
                for file in files { user.handOver(file: workspace.directory.appendingPathComponent(file.path).path) }
            }
        } catch {
            return TestResult(outcome: .error, message: "The repository could not be laid out: \(error)")
        }
        let report = workspace.reportDirectory.appendingPathComponent("junit.xml").path
        let command = reporting(repository.testCommand, report) ?? repository.testCommand
        let runTimeout = task.timeoutSeconds.map { Duration.milliseconds(Int($0 * 1000)) } ?? timeout
        var environment = ChildEnvironment.allowlisted(home: workspace.home.path).merging(task.environment) { $1 }
        environment["PATH"] = (runtime.path + [environment["PATH"] ?? "/usr/bin:/bin"]).joined(separator: ":")
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        // Any pytest the command starts (through make, tox, nox, uv or a script of the project's) writes its report
        // where a pytest command given directly does: the tests are then counted one by one.
        if command == repository.testCommand {
            environment["PYTEST_ADDOPTS"] = "-p no:cacheprovider --junitxml=\(report)"
            // tox passes its test environments only the variables it is told to.
            environment["TOX_OVERRIDE"] = "testenv.pass_env+=PYTEST_ADDOPTS"
        }
        // Where the sandbox makes a view, the tree's view is there at the tree's own path, and the command starts
        // in it: shebangs, `pyvenv.cfg`, editable installs and absolute paths in configs resolve as at home.
        let tree = root.resolvingSymlinksInPath().standardizedFileURL.path
        let virtualenv = await activated.environment(for: repository.testCommand, in: tree)
        if let virtualenv { environment["VIRTUAL_ENV"] = virtualenv }
        let relocated = sandbox.makesView(await SandboxCapabilities.current()) && tree != "/"
        let run: SandboxedRun
        do {
            run = try await sandbox.run(
                ProcessRequest(
                    executable: "/bin/sh", arguments: ["-c", command], environment: environment,
                    workingDirectory: relocated ? tree : workspace.directory.path, timeout: runTimeout,
                    outputLimit: outputLimit, outputKillLimit: outputKillLimit,
                    limits: limits.withCPUBackstop(for: runTimeout)),
                writable: workspace.writablePaths,
                readOnly: runtime.readOnly + Self.interpreters(of: command, in: tree, activated: virtualenv),
                relocated: relocated ? [tree: workspace.directory.path] : [:])
        } catch let error as ProcessLaunchError {
            return TestResult(outcome: .infrastructureError, message: error.localizedDescription)
        }
        var result = RepositoryVerdict(
            run: run, reports: Self.reports(in: workspace.reportDirectory, of: workspace), timeout: runTimeout,
            reportRequested: command != repository.testCommand, directory: relocated ? tree : workspace.directory.path,
            program: repository.testCommand.split(separator: " ").first.map(String.init)
        ).testResult
        let changed: [String]
        if let overlay {
            // The upper layer holds exactly what changed: the attempt's files, and whatever the run wrote.
            let written = Set(files.map(\.path))
            changed = overlay.changes().filter { repository.isProtected($0) && !written.contains($0) }
        } else {
            changed =
                Self.protectedFiles(in: workspace.directory, repository: repository).filter {
                    protected[$0.key] != $0.value
                }.map(\.key)
                + protected.keys.filter {
                    !FileManager.default.fileExists(atPath: workspace.directory.appendingPathComponent($0).path)
                }
        }
        // The suite may change what it changes on the untouched tree (the upper layer keeps it); any other protected
        // file changed during a run of an attempt was changed by the attempt's code.
        if files.isEmpty { suiteWrites.record(changed) }
        let rewritten = changed.filter { !suiteWrites.contains($0) }
        if !rewritten.isEmpty {
            result.outcome = .error
            result.message =
                "The test files \(rewritten.sorted().joined(separator: ", ")) were changed during the run; the code "
                + "under test must not touch them. This is never counted as a pass."
        }
        return workspace.finalVerdict(result, tests: [])
    }

    /// What a virtualenv the command runs from needs of the host, read-only: the interpreter its `pyvenv.cfg`
    /// names (`home = …`, a prefix's `bin`), for a virtualenv inside the tree (`.venv/bin/pytest`) or one named by
    /// `VIRTUAL_ENV`, an absolute path in the command or the one poetry runs it in (`activated`), which is itself
    /// bound read-only when outside the tree.
    static func interpreters(of command: String, in tree: String, activated: String? = nil) -> [String] {
        var environments: Set<String> = activated.map { [$0] } ?? []
        for word in command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) {
            guard word.contains("/bin/") else { continue }
            let path = word.hasPrefix("/") ? word : tree + "/" + word
            environments.insert(String(path[..<path.range(of: "/bin/", options: .backwards)!.lowerBound]))
        }
        if let active = ProcessInfo.processInfo.environment["VIRTUAL_ENV"], !active.isEmpty {
            environments.insert(active)
        }
        var needed: [String] = []
        for environment in environments.sorted() {
            guard
                let configuration = try? String(
                    contentsOf: URL(fileURLWithPath: environment + "/pyvenv.cfg"), encoding: .utf8)
            else { continue }
            if !(environment == tree || environment.hasPrefix(tree + "/")) { needed.append(environment) }
            for line in configuration.split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, parts[0] == "home", parts[1].hasPrefix("/") else { continue }
                let home = URL(fileURLWithPath: parts[1]).resolvingSymlinksInPath()
                needed.append(home.lastPathComponent == "bin" ? home.deletingLastPathComponent().path : home.path)
            }
        }
        return needed
    }

    /// The XML reports the runner wrote (one, or one per test library), in name order.
    static func reports(in directory: URL, of workspace: Workspace) -> [Data] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".xml") }.sorted().compactMap {
            workspace.readBack(directory.appendingPathComponent($0))
        }
    }

    /// How runs see the repository with `sandbox`: an overlay (as root, with the sandbox's own filesystem), or a
    /// copy per run, whose cost grows with the repository.
    public static func usesOverlay(_ sandbox: Sandbox) -> Bool {
        geteuid() == 0 && sandbox.enabled
    }

    /// The protected files under `directory`, by relative path, with their bytes.
    static func protectedFiles(in directory: URL, repository: RepositoryContext) -> [String: Data] {
        var files: [String: Data] = [:]
        let root = directory.path
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return files }
        while let relative = enumerator.nextObject() as? String {
            if RepositoryCopy.skipped.contains((relative as NSString).lastPathComponent) {
                enumerator.skipDescendants()
                continue
            }
            guard repository.isProtected(relative),
                let data = FileManager.default.contents(atPath: root + "/" + relative)
            else { continue }
            files[relative] = data
        }
        return files
    }
}

/// What a project's own command needs from a toolchain: directories to read, and directories first on `PATH`.
public struct CommandRuntime: Hashable, Sendable {
    public var readOnly: [String]
    public var path: [String]

    public init(readOnly: [String] = [], path: [String] = []) {
        self.readOnly = readOnly
        self.path = path
    }
}

/// The protected files a repository's suite changes by itself (``RepositoryExecutor/suiteWrites``).
final class SuiteWrites: Sendable {
    private let paths = Mutex<Set<String>>([])

    func record(_ changed: [String]) {
        paths.withLock { $0.formUnion(changed) }
    }

    func contains(_ path: String) -> Bool {
        paths.withLock { $0.contains(path) }
    }
}
