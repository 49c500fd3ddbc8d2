import AutoCoder
import Foundation

/// Runs Python tests with pytest, each run in a fresh workspace inside the ``Sandbox``, within a wall-clock
/// timeout, with capped output and an allowlisted environment.
///
/// pytest is started so that nothing the generated code writes can change how tests are collected or reported:
/// plugin autoload off, no `conftest.py`, no ini file (`-c /dev/null`), strict xfail, and the JUnit report written
/// outside the working directory. Before the run, a generated module that would shadow pytest, a test module or a
/// standard module the tests import is rejected; the test files are compared byte for byte before and after the
/// run. The verdict comes from the report's `<testcase>` elements, the exit code, the limits the run hit, and a
/// check that every test function defined in the test files ran.
public struct PytestExecutor: SandboxedExecutor {
    /// The interpreter to use (a path or a name on `PATH`); `nil` means `$AUTOCODER_PYTHON`, else `python3`.
    public var python: String?
    /// The limits and guards of every run (README, "Integrity").
    public var settings: ExecutorSettings
    /// Run pytest in a fork of a warm worker (pytest already imported) instead of a new interpreter each time.
    /// Results are the same; a run falls back to a cold pytest when no worker can serve it.
    public var warmWorker: Bool
    /// The warm workers runs take; executors that share a pool share its workers (a benchmark's problems).
    public var workers: PytestWorkerPool
    /// Compute the verdict in a process that never runs the code (the verdict bridge), where the tests allow it;
    /// `false` keeps every run in the tests' own process, guarded by the in-process checks only.
    public var outOfProcess: Bool

    public init(
        python: String? = nil,
        timeout: Duration = ToolchainSettings.defaultTimeout,
        outputLimit: Int = 256 * 1024,
        outputKillLimit: Int = 16 * 1_048_576,
        limits: ResourceLimits = ResourceLimits(),
        sandbox: Sandbox = Sandbox(),
        warmWorker: Bool = true,
        integrity: IntegrityMode = .strict,
        workers: PytestWorkerPool = PytestWorkerPool(),
        outOfProcess: Bool = true
    ) {
        self.python = python
        self.settings = ExecutorSettings(
            timeout: timeout, outputLimit: outputLimit, outputKillLimit: outputKillLimit, limits: limits,
            sandbox: sandbox, integrity: integrity)
        self.warmWorker = warmWorker
        self.workers = workers
        self.outOfProcess = outOfProcess
    }

    public func test(_ files: [CodeFile], for task: CodingTask) async throws -> TestResult {
        let interpreter: PythonInterpreter
        do {
            interpreter = try await PythonInterpreter.resolve(explicit: python)
        } catch {
            return TestResult(outcome: .infrastructureError, message: error.localizedDescription)
        }
        let code = task.starterFiles.overlaid(with: files)
        var isolation =
            outOfProcess
            ? PythonVerdictBridge.choose(
                tests: task.tests, code: code, integrity: integrity,
                sandboxed: sandbox.enabled && sandbox.namespaces == .automatic)
            : .inProcess(reason: "the executor keeps verdicts in-process")
        var worker = usesWarmWorker ? await workers.acquire(workerKind(interpreter)) : nil
        if worker == nil, isolation.isBridged {
            // A bridged run needs a worker's two sandboxed processes, even for the first run or without --warm.
            worker = await workers.acquireStarting(workerKind(interpreter))
            if worker == nil { isolation = .inProcess(reason: "no warm pytest worker can start here") }
        }
        var healthy = true
        defer {
            if let worker {
                let healthy = healthy
                let kind = workerKind(interpreter)
                Task { await workers.release(worker, as: kind, healthy: healthy) }
            }
        }
        let workspace: Workspace
        switch Workspace.forTestRun(
            sandbox: sandbox, files: isolation.isBridged ? task.tests : code + task.tests, keepWrittenFiles: true)
        {
        case .success(let made): workspace = made
        case .failure(let failure): return failure.result
        }
        defer { workspace.remove() }
        if isolation.isBridged {
            do {
                try workspace.separateCode(code + PythonVerdictBridge.codeData(task.tests), sandbox: sandbox)
            } catch {
                return TestResult(outcome: .infrastructureError, message: error.localizedDescription)
            }
        }
        let testModules = Self.testModules(task.tests)
        let directory = workspace.directory.path
        // The inventory is read before the run when a generated file could shadow what the tests import, or
        // without a warm worker; otherwise the worker reads it as part of the run, before it forks.
        let inventoryKey = TestInventory.Key(modules: testModules, of: task.tests, interpreter: interpreter.path)
        var inventory = await TestInventory.known(inventoryKey).map {
            Result<TestInventory, InventoryError>.success($0)
        }
        if inventory == nil, worker == nil || ModuleShadowing.needsImports(files: files, task: task) {
            inventory = await TestInventory.read(inventoryKey, in: directory, worker: worker)
        }
        if let problem = ModuleShadowing.problem(files: files, task: task, inventory: try? inventory?.get()) {
            return TestResult(outcome: .error, message: problem)
        }
        let unwritten = workspace.changedFiles(task.tests)
        guard unwritten.isEmpty else {
            return TestResult(
                outcome: .infrastructureError,
                message: "The test files could not be written as given: \(unwritten.joined(separator: ", ")).")
        }

        let report = workspace.reportDirectory.appendingPathComponent("junit.xml")
        let runTimeout = settings.timeout(for: task)
        var environment = ChildEnvironment.allowlisted(home: workspace.home.path).merging(task.environment) { $1 }
        environment["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        let check: PytestIntegrity?
        do {
            let known = try? inventory?.get()
            check = try PytestIntegrity.prepare(
                integrity, in: workspace, tests: testModules,
                modules: known.map { known in known.imports.filter(Set(known.standardModules).contains) })
        } catch {
            return TestResult(outcome: .infrastructureError, message: "Cannot prepare the integrity check: \(error)")
        }
        // A cold test process reads (and deletes) the control file as the sandbox's user.
        if let check, let user = sandbox.user { user.handOver(file: check.control.path) }
        // A task's own conftest.py is read only in a bridged run, where no code shares the tests' directory or
        // process (in-process, code that runs during collection could write one for the next test file).
        var pytestArguments = Self.pytestArguments(
            workspace: workspace.directory.path, report: report.path, tests: testModules,
            readsConftest: isolation.isBridged && task.tests.contains { Self.isConftest($0.path) })
        // A bridged run's test process has no code in it to check each passing `==` against.
        let arguments = (check == nil || isolation.isBridged ? [] : PytestIntegrity.pytestOptions) + pytestArguments
        let limits = limits.withCPUBackstop(for: runTimeout)
        var warmRun: SandboxedRun?
        if let worker {
            let warm = try await self.warmRun(
                worker: worker, arguments: arguments, workspace: workspace, environment: environment,
                timeout: runTimeout, limits: limits, integrity: check?.control,
                inventoryOf: inventory == nil ? testModules : [], bridge: isolation.modules)
            (warmRun, healthy) = (warm.run, warm.healthy)
            if inventory == nil, let read = warm.inventory {
                inventory = read
                if case .success(let known) = read { await TestInventory.remember(known, for: inventoryKey) }
            }
        }
        let run: SandboxedRun
        if let warmRun {
            run = warmRun
        } else {
            if isolation.isBridged {
                // The worker could not run it: the code goes beside the tests, which are written again last.
                isolation = .inProcess(reason: "the warm pytest worker could not run it")
                pytestArguments = Self.pytestArguments(
                    workspace: workspace.directory.path, report: report.path, tests: testModules)
                do {
                    try workspace.write(code + task.tests)
                    try workspace.handToCode(sandbox.user, keepWrittenFiles: true)
                } catch {
                    return TestResult(outcome: .error, message: error.localizedDescription)
                }
            }
            if inventory == nil {
                inventory = await TestInventory.read(inventoryKey, in: directory)
            }
            switch try await coldRun(
                interpreter: interpreter,
                arguments: (check == nil ? [] : PytestIntegrity.pytestOptions) + pytestArguments,
                environment: environment, workspace: workspace,
                timeout: runTimeout, limits: limits, check: check)
            {
            case .success(let cold): run = cold
            case .failure(let problem): return problem.result
            }
        }
        let result = PytestVerdict(
            run: run, report: workspace.readBack(report), interpreter: interpreter.path,
            timeout: runTimeout,
            inventory: inventory
                ?? .failure(InventoryError(reason: "the worker did not read the test files' inventory"))
        ).testResult
        var judged = check.map { $0.judge(result, record: workspace.readBack($0.record)) } ?? result
        judged.integrity?.isolation = isolation.isBridged ? .bridge : .inProcess
        judged.integrity?.fallback = isolation.reason
        if integrity != .off { judged = DeclaredSkips.check(judged, tests: task.tests) }
        return workspace.finalVerdict(judged, tests: task.tests)
    }

    /// The test files pytest is given: those named like tests (`test_*.py`, `*_test.py`), else every `.py` file.
    static func testModules(_ tests: [CodeFile]) -> [String] {
        let python = tests.map(\.path).filter { $0.hasSuffix(".py") }
        let named = python.filter { path in
            let name = path.split(separator: "/").last.map(String.init) ?? path
            return name.hasPrefix("test_") || name.hasSuffix("_test.py")
        }
        return named.isEmpty ? python : named
    }

    /// The plugins every run turns off (`-p no:NAME`); the warm worker prebuilds pytest's config with them.
    static let excludedPlugins = ["-p", "no:cacheprovider"]

    /// pytest's arguments (after `-m pytest`): see ARCHITECTURE §5. `conftest.py` files are ignored unless
    /// `readsConftest` (a bridged run whose tests bring one), and never read above the workspace.
    static func pytestArguments(
        workspace: String, report: String, tests: [String], readsConftest: Bool = false
    ) -> [String] {
        ["-q"] + excludedPlugins + (readsConftest ? [] : ["--noconftest"]) + [
            "-c", "/dev/null", "--rootdir=\(workspace)", "--confcutdir=\(workspace)",
            "-o", "xfail_strict=true", "--junitxml=\(report)", "--",
        ] + tests
    }

    /// Whether `path` is a `conftest.py` (in any folder).
    static func isConftest(_ path: String) -> Bool {
        path == "conftest.py" || path.hasSuffix("/conftest.py")
    }
}
