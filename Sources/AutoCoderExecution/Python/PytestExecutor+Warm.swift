import AutoCoder
import Foundation

extension PytestExecutor {
    /// Whether runs go to a warm worker: when ``warmWorker`` is on and the sandbox is either off or left to
    /// choose its namespaces (an explicit `unshare` or `none` choice is honoured by a cold run).
    var usesWarmWorker: Bool {
        warmWorker && (!sandbox.enabled || sandbox.namespaces == .automatic)
    }

    /// Runs pytest in a fork of a warm worker, with the same arguments, environment, limits and sandbox layers as
    /// a cold run; `nil` when the worker could not do it (the caller then runs cold). The run is forked inside the
    /// worker's own cgroup, limited for this run, rather than moved into a cgroup of its own.
    func warmRun(
        worker: PytestWorker, arguments: [String], workspace: Workspace, environment: [String: String],
        timeout: Duration, limits: ResourceLimits, integrity: URL? = nil, inventoryOf tests: [String] = [],
        bridge: [String]? = nil
    ) async throws -> (run: SandboxedRun?, healthy: Bool, inventory: Result<TestInventory, InventoryError>?) {
        let isolate = sandbox.enabled
        if isolate, await workers.sandboxProblem != nil { return (nil, true, nil) }
        let cgroup = worker.cgroup
        let start: Cgroup.Usage?
        let runLimits: ResourceLimits
        do {
            (start, runLimits) = try sandbox.limitsForRun(limits, inside: cgroup)
        } catch {
            return (nil, false, nil)
        }
        // Whatever the run left in the worker's cgroup goes when it ends; a worker whose cgroup cannot be emptied
        // is not used again.
        let emptied = { cgroup.map { $0.killAll(except: worker.residents) } ?? true }
        let outcome: (process: ProcessResult?, healthy: Bool, inventory: Result<TestInventory, InventoryError>?)
        do {
            outcome = try await forkedRun(
                worker: worker, arguments: arguments, workspace: workspace, environment: environment,
                timeout: timeout, limits: runLimits, isolate: isolate, integrity: integrity, inventoryOf: tests,
                bridge: bridge)
        } catch {
            _ = emptied()
            throw error
        }
        let healthy = emptied() && outcome.healthy
        guard let process = outcome.process else { return (nil, healthy, outcome.inventory) }
        let events =
            start.flatMap { start in cgroup?.events(since: start) }
            ?? Cgroup.Events(outOfMemory: false, processLimitHit: false)
        let run = SandboxedRun(
            process: process, outOfMemory: events.outOfMemory, processLimitHit: events.processLimitHit,
            memoryBytes: sandbox.memoryBytes, maxProcesses: sandbox.maxProcesses)
        return (run, healthy, outcome.inventory)
    }

    /// Sends one run to the worker and reads its result: `nil` when the worker could not run it (the caller then
    /// runs cold), whether the worker can be used again, and the inventory of `tests` when asked for one (the
    /// worker reads it before it forks).
    private func forkedRun(
        worker: PytestWorker, arguments: [String], workspace: Workspace, environment: [String: String],
        timeout: Duration, limits: ResourceLimits, isolate: Bool, integrity: URL?, inventoryOf tests: [String],
        bridge: [String]?
    ) async throws -> (process: ProcessResult?, healthy: Bool, inventory: Result<TestInventory, InventoryError>?) {
        let stdout = workspace.reportDirectory.appendingPathComponent("stdout").path
        let stderr = workspace.reportDirectory.appendingPathComponent("stderr").path
        var rlimits: [String: Int] = [:]
        rlimits["cpu"] = limits.cpuSeconds
        rlimits["fsize"] = limits.fileSizeBytes
        rlimits["nofile"] = limits.openFiles
        rlimits["as"] = limits.addressSpaceBytes
        if limits.disableCoreDumps { rlimits["core"] = 0 }
        var request = PytestWorkerProtocol.RunRequest(
            workdir: workspace.directory.path, args: arguments, env: environment,
            timeout: timeout.seconds,
            stdout: stdout, stderr: stderr, outputKillLimit: outputKillLimit, limits: rlimits, isolate: isolate,
            inventory: tests.isEmpty ? nil : tests, integrity: integrity?.path)
        let codeOutput = workspace.reportDirectory.appendingPathComponent("code-output").path
        if isolate {
            // The same view and user as a cold run in bubblewrap (the worker makes them in the test process).
            let readOnly = await worker.interpreter.runtimeDirectories()
            request.view = sandbox.view(writable: workspace.writablePaths, readOnly: readOnly).workerEntries()
            request.user = sandbox.user.map { [$0.uid, $0.gid] }
            if let bridge {
                // The tests' process as a user of its own; the code's with its own view, environment and user.
                request.user = sandbox.user.map { _ in [SandboxUser.verdict.uid, SandboxUser.verdict.gid] }
                request.bridge = PytestWorkerProtocol.BridgeRequest(
                    workdir: workspace.codeDirectory.path,
                    env: ChildEnvironment.allowlisted(home: workspace.codeHome.path).merging(
                        environment.filter { !["HOME", "TMPDIR", "PYTEST_DISABLE_PLUGIN_AUTOLOAD"].contains($0.key) }
                    ) { old, _ in old },
                    limits: rlimits,
                    view: sandbox.view(writable: workspace.codeWritablePaths, readOnly: readOnly).workerEntries(),
                    user: sandbox.user.map { [$0.uid, $0.gid] }, modules: bridge, output: codeOutput)
            }
        }
        let reply: PytestWorkerProtocol.Reply
        do {
            reply = try await worker.send(request)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return (nil, false, nil)
        }
        // A cancelled run was killed: its result is not the code's.
        try Task.checkCancellation()
        // A reply with an error is the worker's failure, not the inventory's: the cold run reads it again.
        let inventory = tests.isEmpty || reply.error != nil ? nil : TestInventory.fromWorker(reply, worker: worker)
        guard let result = reply.result else { return (nil, false, inventory) }
        if let problem = result.setupError {
            if isolate { await workers.sandboxFailed(problem) }
            return (nil, true, inventory)
        }
        let termination: ProcessResult.Termination =
            result.signal.map { .signaled($0) } ?? .exited(result.status ?? 1)
        var standardError = captured(stderr, limit: outputLimit, in: workspace)
        if request.bridge != nil {
            let code = captured(codeOutput, limit: outputLimit, in: workspace)
            if !code.text.isEmpty {
                standardError.append(Array("\n--- printed by the code's process outside any call ---\n".utf8))
                standardError.append(Array(code.text.utf8))
            }
        }
        var process = ProcessResult(
            termination: termination, timedOut: result.timedOut ?? false,
            standardOutput: captured(stdout, limit: outputLimit, in: workspace),
            standardError: standardError,
            duration: .milliseconds(Int((result.duration ?? 0) * 1000)))
        process.outputLimitExceeded = result.outputExceeded ?? false
        return (process, true, inventory)
    }

    /// A file's bytes kept as a stream's output would be: the first and last halves of `limit` (read back by the
    /// workspace's rules: a stream the code replaced by a link is not followed).
    func captured(_ path: String, limit: Int, in workspace: Workspace) -> CapturedOutput {
        var output = CapturedOutput(limit: limit)
        workspace.readStream(URL(fileURLWithPath: path), into: &output)
        return output
    }
}

extension PytestExecutor {
    /// The kind of worker this executor's runs take.
    func workerKind(_ interpreter: PythonInterpreter) -> PytestWorkerPool.Kind {
        PytestWorkerPool.Kind(interpreter: interpreter.path, sandboxed: sandbox.enabled)
    }

    /// Starts up to `workers` warm workers ahead of a batch of runs (a benchmark), so that its first runs do not
    /// go cold while workers start one at a time; `false` when this executor does not use the worker or none can
    /// start here.
    @discardableResult
    public func warmUp(workers: Int) async -> Bool {
        guard usesWarmWorker else { return false }
        // Workers need both; finding the machine's sandbox layers takes a few process starts of its own.
        async let capabilities = SandboxCapabilities.current()
        guard let interpreter = try? await PythonInterpreter.resolve(explicit: python) else { return false }
        _ = await capabilities
        return await self.workers.prepare(workerKind(interpreter), count: workers)
    }

    /// Whether this executor's runs can use the warm pytest worker here, found by running one small test through
    /// it: `nil` when they can, else why not (they then run cold).
    public func warmWorkerProblem() async -> String? {
        guard warmWorker else { return "turned off (--no-warm-worker)" }
        guard usesWarmWorker else { return "not used with an explicit namespace choice" }
        let interpreter: PythonInterpreter
        do {
            interpreter = try await PythonInterpreter.resolve(explicit: python)
        } catch {
            return error.localizedDescription
        }
        guard await workers.prepare(workerKind(interpreter)) else {
            if let reason = await workers.unavailableReason(interpreter: interpreter.path) {
                return reason
            }
            return await workers.sandboxProblem ?? "it did not start"
        }
        let tests =
            "import sys\n\ndef test_worker():\n    assert sys.modules['__main__'].__file__.endswith('pytest_worker.py')\n"
        let task = CodingTask(
            description: "probe", tests: [CodeFile(path: "test_probe.py", content: tests)],
            language: PythonToolchain.name, solutionPath: "solution.py")
        let result = try? await test([], for: task)
        if let reason = await workers.unavailableReason(interpreter: interpreter.path) { return reason }
        if sandbox.enabled, let reason = await workers.sandboxProblem { return reason }
        guard result?.outcome == .passed else {
            return "a probe run did not pass through the worker: \(result?.summary ?? "no result")"
        }
        return nil
    }
}
