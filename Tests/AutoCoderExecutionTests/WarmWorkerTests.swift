import AutoCoder
import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderExecution

/// The warm pytest worker gives the verdicts a cold pytest gives, is really used, and survives its own death.
@Suite(.serialized) struct WarmWorkerTests {
    static let cases: [(name: String, solution: String, tests: String)] = [
        (
            "pass and fail", "def f():\n    return 2\n",
            "from solution import f\n\ndef test_ok():\n    assert f() == 2\n\ndef test_bad():\n    assert f() == 3\n"
        ),
        ("collection error", "def f(:\n", "from solution import f\n\ndef test_ok():\n    assert f() == 2\n"),
        (
            "exit zero mid-test", "import os\n\ndef f():\n    os._exit(0)\n",
            "from solution import f\n\ndef test_a():\n    assert True\n\ndef test_b():\n    f()\n"
        ),
        (
            "skip and xfail", "",
            "import pytest\n\ndef test_s():\n    pytest.skip('no')\n\n@pytest.mark.xfail\ndef test_x():\n    assert True\n"
        ),
        (
            "sys.exit in a test", "import sys\n\ndef f():\n    sys.exit(3)\n",
            "from solution import f\n\ndef test_e():\n    f()\n"
        ),
        (
            "loopback inside the sandbox", "",
            "import socket\n\ndef test_talk_to_itself():\n    server = socket.socket()\n    server.bind(('127.0.0.1', 0))\n"
                + "    server.listen(1)\n    client = socket.create_connection(server.getsockname())\n"
                + "    peer, _ = server.accept()\n    client.sendall(b'hi')\n    assert peer.recv(2) == b'hi'\n"
        ),
        (
            "what the sandbox shows", "",
            """
            import os, socket

            def test_view():
                assert socket.gethostname() == 'sandbox'
                status = open('/proc/self/status').read()
                assert 'CapEff:\t0000000000000000' in status, status
                devices = set(os.listdir('/dev'))
                assert {'null', 'zero', 'urandom', 'shm'} <= devices
                assert not [d for d in devices if d.startswith(('sd', 'vd', 'nvme', 'mem', 'kmem', 'port', 'loop'))]
                assert all(name.startswith('autocoder-') for name in os.listdir('/tmp')), os.listdir('/tmp')
                try:
                    open('/etc/autocoder-probe', 'w')
                    raise AssertionError('/etc is writable')
                except OSError:
                    pass
            """
        ),
        (
            "atexit forges success",
            "import atexit, os\natexit.register(lambda: os._exit(0))\n\ndef f():\n    return 1\n",
            "from solution import f\n\ndef test_f():\n    assert f() == 2\n"
        ),
    ]

    /// The workers every executor of these tests shares, as a session's executors do.
    static let workers = PytestWorkerPool()

    /// Makes a worker ready for runs in `sandbox`, so that a warm executor's next run takes the warm path.
    func prepareWorker(_ sandbox: Sandbox = Sandbox()) async throws {
        try #require(await PytestExecutor(sandbox: sandbox, workers: Self.workers).warmUp(workers: 1))
    }

    func result(_ index: Int, warm: Bool) async throws -> TestResult {
        let (_, solution, tests) = Self.cases[index]
        let task = CodingTask(
            description: "warm", tests: [CodeFile(path: "test_case.py", content: tests)], timeoutSeconds: 60)
        return try await PytestExecutor(warmWorker: warm, workers: Self.workers).test(
            [CodeFile(path: "solution.py", content: solution)], for: task)
    }

    /// A timeout is a timeout both ways; how far pytest got before the kill depends on the machine's load.
    @Test func aTimeoutIsATimeoutBothWays() async throws {
        let tests = "import time\n\ndef test_t():\n    time.sleep(120)\n"
        let task = CodingTask(
            description: "slow", tests: [CodeFile(path: "test_slow.py", content: tests)], timeoutSeconds: 5)
        for warm in [true, false] {
            if warm { try await prepareWorker() }
            let result = try await PytestExecutor(warmWorker: warm, workers: Self.workers).test([], for: task)
            #expect(result.outcome == .timeout, "warm: \(warm)")
            #expect(result.message?.contains("did not finish within 5 s") == true, "warm: \(warm)")
        }
    }

    @Test(arguments: 0..<8)
    func warmAndColdRunsGiveTheSameVerdict(_ index: Int) async throws {
        let cold = try await result(index, warm: false)
        try await prepareWorker()
        let warm = try await result(index, warm: true)
        #expect(warm.outcome == cold.outcome, "\(Self.cases[index].name)")
        #expect(warm.exitCode == cold.exitCode, "\(Self.cases[index].name)")
        #expect(warm.tests.map(\.name) == cold.tests.map(\.name), "\(Self.cases[index].name)")
        #expect(warm.tests.map(\.outcome) == cold.tests.map(\.outcome), "\(Self.cases[index].name)")
        #expect(warm.tests.map(\.message) == cold.tests.map(\.message), "\(Self.cases[index].name)")
        #expect(warm.message == cold.message, "\(Self.cases[index].name)")
    }

    /// The test process names its `__main__`: the worker script when forked from a worker, pytest's own when cold.
    func mainModule(warm: Bool, sandbox: Sandbox = Sandbox()) async throws -> String {
        let tests = "import sys\n\ndef test_where():\n    assert False, 'MAIN=' + sys.modules['__main__'].__file__\n"
        let task = CodingTask(description: "where", tests: [CodeFile(path: "test_where.py", content: tests)])
        let executor = PytestExecutor(sandbox: sandbox, warmWorker: warm)
        if warm { await executor.warmUp(workers: 1) }  // false for an executor that does not use the worker
        let result = try await executor.test([], for: task)
        return try #require(result.tests.first?.message)
    }

    @Test func theWarmWorkerIsReallyUsedInAndOutOfTheSandbox() async throws {
        #expect(try await mainModule(warm: true).contains("pytest_worker.py"))
        #expect(try await mainModule(warm: true, sandbox: .off).contains("pytest_worker.py"))
        // A cold run is the integrity check's own program, which calls pytest.
        #expect(try await mainModule(warm: false).contains("pytest_integrity.py"))
        // An explicit namespace choice is honoured by a cold run.
        #expect(
            try await mainModule(warm: true, sandbox: Sandbox(namespaces: .unshare)).contains("pytest_integrity.py"))
    }

    /// One run through `worker`, with `sandbox`'s limits: pytest on `tests` in a new workspace.
    func run(_ tests: String, in worker: PytestWorker, sandbox: Sandbox) async throws -> SandboxedRun {
        let workspace = try Workspace.create(sandbox: sandbox)
        defer { workspace.remove() }
        try workspace.write([CodeFile(path: "test_limits.py", content: tests)])
        let arguments = PytestExecutor.pytestArguments(
            workspace: workspace.directory.path,
            report: workspace.reportDirectory.appendingPathComponent("junit.xml").path, tests: ["test_limits.py"])
        let warm = try await PytestExecutor(sandbox: sandbox).warmRun(
            worker: worker, arguments: arguments, workspace: workspace,
            environment: ChildEnvironment.allowlisted(home: workspace.home.path), timeout: .seconds(60),
            limits: ResourceLimits(), inventoryOf: ["test_limits.py"])
        #expect(warm.healthy)
        // The worker read the test file's inventory before the run, in the same request.
        let inventory = try #require(try warm.inventory?.get())
        #expect(inventory.tests.map(\.name).allSatisfy { $0.hasPrefix("test_") } && !inventory.tests.isEmpty)
        #expect(inventory.standardModules.contains("os"))
        return try #require(warm.run)
    }

    /// Runs are forked inside their worker's cgroup: each gets its own limits and its own events, leaves nothing
    /// in it, and the cgroup goes with the worker.
    @Test func eachRunIsLimitedAndJudgedOnItsOwnInTheWorkersCgroup() async throws {
        let layout = try #require(await SandboxCapabilities.current().cgroupLayout, "no cgroups here")
        let python = try await PythonInterpreter.resolve()
        let worker = try await PytestWorker.start(
            interpreter: python.path, directory: FileManager.default.temporaryDirectory, cgroups: layout,
            sandboxed: true)
        let cgroup = try #require(worker.cgroup)
        let residents = worker.residents
        #expect(residents.count == 2, "a sandboxed worker and its namespace's keeper")
        let members = { Set(cgroup.directories.flatMap(Cgroup.processes(in:))) }
        #expect(members() == residents)
        let sandbox = Sandbox(memoryBytes: 128 * 1_048_576, maxProcesses: 16)
        let hog = "def test_hog():\n    hoard = [bytearray(50 * 1024 * 1024) for _ in range(20)]\n"
        let calm = "def test_calm():\n    assert sum(range(10)) == 45\n"
        let bomb = """
            import os, time

            def test_bomb():
                children = []
                for _ in range(64):
                    try:
                        pid = os.fork()
                    except OSError:
                        break
                    if pid == 0:
                        time.sleep(60)
                        os._exit(0)
                    children.append(pid)
                assert len(children) < 64
            """
        let hogged = try await run(hog, in: worker, sandbox: sandbox)
        #expect(hogged.outOfMemory)
        let bombed = try await run(bomb, in: worker, sandbox: sandbox)
        #expect(bombed.processLimitHit)
        #expect(!bombed.outOfMemory, "an earlier run's event was counted again")
        let calmed = try await run(calm, in: worker, sandbox: sandbox)
        #expect(calmed.process.exitCode == 0)
        #expect(!calmed.outOfMemory && !calmed.processLimitHit, "an earlier run's events were counted again")
        #expect(worker.isAlive, "the worker itself was killed")
        #expect(members() == residents)
        worker.stop()
        #expect(cgroup.directories.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
    }

    /// A run can see its namespace's keeper but not stop it, and what a run leaves running is gone before the
    /// next one starts.
    @Test func theKeeperOutlivesHostileRuns() async throws {
        let python = try await PythonInterpreter.resolve()
        let worker = try await PytestWorker.start(
            interpreter: python.path, directory: FileManager.default.temporaryDirectory,
            cgroups: await SandboxCapabilities.current().cgroupLayout, sandboxed: true)
        defer { worker.stop() }
        let hostile = """
            import os, signal, subprocess

            def test_attack():
                subprocess.Popen(["sleep", "300"], start_new_session=True)
                for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGKILL, signal.SIGSTOP):
                    try:
                        os.kill(1, number)
                    except PermissionError:
                        pass  # run as another user than the keeper's, the signal is refused outright
                assert os.getpid() != 1
            """
        let survey = """
            import os

            def test_alone():
                others = [p for p in os.listdir('/proc') if p.isdigit() and int(p) not in (1, os.getpid())]
                assert others == [], others
            """
        for _ in 0..<2 {
            let attacked = try await run(hostile, in: worker, sandbox: Sandbox())
            #expect(attacked.process.exitCode == 0, "\(attacked.process.standardOutput.text)")
            let surveyed = try await run(survey, in: worker, sandbox: Sandbox())
            #expect(surveyed.process.exitCode == 0, "\(surveyed.process.standardOutput.text)")
        }
        #expect(worker.isAlive)
    }

    /// A worker script from another build (another protocol version) is refused with a reason, not misread.
    @Test func aWorkerOfAnotherProtocolVersionIsRefused() async throws {
        let directory = try TemporaryDirectory()
        let stand = directory.url.appendingPathComponent("python")
        try """
        #!/bin/sh
        echo '{"ready": true, "version": 1, "pid": 1, "standard_modules": []}'
        cat > /dev/null
        """.write(to: stand, atomically: true, encoding: .utf8)
        chmod(stand.path, 0o755)
        do {
            let worker = try await PytestWorker.start(interpreter: stand.path, directory: directory.url)
            worker.stop()
            Issue.record("a worker of protocol 1 was accepted")
        } catch let error as PytestWorkerError {
            #expect(error.message.contains("protocol 1"), "\(error.message)")
            #expect(error.message.contains("\(PytestWorkerProtocol.version)"))
        }
    }

    /// A task whose test writes its process's parent (the worker, for a warm run without the sandbox) to `record`.
    func parentRecordingTask(_ record: String) -> CodingTask {
        let tests = """
            import os

            def test_record():
                with open(\(String(reflecting: record)), "w") as handle:
                    handle.write(str(os.getppid()))
            """
        return CodingTask(description: "pid", tests: [CodeFile(path: "test_pid.py", content: tests)])
    }

    /// The process `record` names, checked to be a worker.
    func recordedWorker(_ record: String) throws -> Int32 {
        let worker = try #require(Int32(try String(contentsOfFile: record, encoding: .utf8)))
        let command = String(
            decoding: FileManager.default.contents(atPath: "/proc/\(worker)/cmdline") ?? Data(), as: UTF8.self)
        try #require(command.contains("pytest_worker.py"), "the run did not go through a worker")
        return worker
    }

    /// A pool has a lifetime: shutting it down stops its idle workers, and later runs go cold.
    @Test func shuttingAPoolDownStopsItsWorkers() async throws {
        let dir = try TemporaryDirectory()
        let record = dir.url.appendingPathComponent("parent").path
        let task = parentRecordingTask(record)
        let workers = PytestWorkerPool()
        let executor = PytestExecutor(sandbox: .off, workers: workers)
        try #require(await executor.warmUp(workers: 1))
        #expect(try await executor.test([], for: task).outcome == .passed)
        let worker = try recordedWorker(record)
        await workers.shutdown()
        #expect(await ProcessProbe.isGone(worker))
        #expect(await executor.warmUp(workers: 1) == false)
        #expect(try await executor.test([], for: task).outcome == .passed)
        let cold = try #require(Int32(try String(contentsOfFile: record, encoding: .utf8)))
        #expect(cold != worker)
    }

    @Test func aWorkerThatDiesIsReplaced() async throws {
        let dir = try TemporaryDirectory()
        let record = dir.url.appendingPathComponent("worker.pid").path
        let task = parentRecordingTask(record)
        let executor = PytestExecutor(sandbox: .off, workers: Self.workers)
        try await prepareWorker(.off)
        #expect(try await executor.test([], for: task).outcome == .passed)
        // Kill only a worker: a run that went cold would have recorded some other process.
        let first = try recordedWorker(record)
        kill(first, SIGKILL)
        #expect(await ProcessProbe.isGone(first))
        try await Task.sleep(for: .milliseconds(300))  // for the pool to see the exit
        try await prepareWorker(.off)
        #expect(try await executor.test([], for: task).outcome == .passed)
        #expect(try recordedWorker(record) != first, "the second run did not go through a new worker")
    }
}
