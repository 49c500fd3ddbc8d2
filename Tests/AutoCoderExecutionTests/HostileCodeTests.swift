import AutoCoder
import AutoCoderTestSupport
import Foundation
import Synchronization
import Testing

@testable import AutoCoderExecution

/// Code written to escape, exhaust or fool the executor. Each case asserts the verdict, that the attack was
/// contained, and that nothing of the run is left running afterwards (found from the host by a marker in the
/// processes' command lines: the test file's name, which pytest and every process it forks carry).
@Suite(.serialized) struct HostileCodeTests {
    /// A unique marker, used as the test file's name and by the hostile code for its own children.
    let marker = "h\(UInt64.random(in: 100_000_000_000...999_999_999_999))"
    var testFile: String { "test_\(marker).py" }

    /// Runs the hostile tests, through a warm worker (made ready first, so the warm path is the one taken) or
    /// through a cold pytest in bubblewrap. The integrity check is off: these layers must hold on their own, and
    /// its scan would refuse most of this code before it ran (IntegrityTests covers it).
    func run(
        tests: String, solution: String = "", timeout: Double = 20, sandbox: Sandbox = Sandbox(), warm: Bool = true
    ) async throws -> TestResult {
        let task = CodingTask(
            description: "hostile", tests: [CodeFile(path: testFile, content: tests)], timeoutSeconds: timeout)
        let executor = PytestExecutor(sandbox: sandbox, warmWorker: warm, integrity: .off, workers: .forTests)
        if warm { try #require(await executor.warmUp(workers: 1)) }
        let result = try await executor.test([CodeFile(path: "solution.py", content: solution)], for: task)
        #expect(await ProcessProbe.noneLeft(withMarker: marker), "processes of the run outlived it")
        return result
    }

    /// The seccomp filter: calls the code has no use for fail with EPERM (ptrace would succeed without it; mount
    /// and unshare fail anyway without capabilities, and now before the kernel looks at them), while forking,
    /// threads and subprocesses go on working.
    @Test(arguments: [true, false])
    func forbiddenSystemCallsFailWithEPERM(_ warm: Bool) async throws {
        try await requireLayers(.systemCallFilter)
        let tests = """
            import ctypes, errno, os, subprocess, threading

            def test_forbidden_calls():
                libc = ctypes.CDLL(None, use_errno=True)
                for name, call in [
                    ("ptrace", lambda: libc.ptrace(0, 0, None, None)),
                    ("mount", lambda: libc.mount(b"none", b"/tmp", b"tmpfs", 0, None)),
                    ("unshare", lambda: libc.unshare(0x10000000)),
                    ("bpf", lambda: libc.syscall(321, 0, None, 0)),
                    ("keyctl", lambda: libc.syscall(250, 0, 0, 0, 0, 0)),
                ]:
                    assert call() == -1, name
                    assert ctypes.get_errno() == errno.EPERM, (name, ctypes.get_errno())
                assert "Seccomp:\t2" in open("/proc/self/status").read()

            def test_ordinary_calls_still_work():
                pid = os.fork()
                if pid == 0:
                    os._exit(7)
                assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 7
                thread = threading.Thread(target=lambda: None)
                thread.start()
                thread.join()
                assert subprocess.run(["true"]).returncode == 0
            """
        let result = try await run(tests: tests, warm: warm)
        #expect(result.outcome == .passed, "warm \(warm): \(result.summary)\n\(result.tests.map { $0.message ?? "" })")
        #expect(result.numPassed == 2)
    }

    @Test func infiniteLoopTimesOut() async throws {
        let result = try await run(tests: "def test_spin():\n    while True:\n        pass\n", timeout: 2)
        #expect(result.outcome == .timeout)
    }

    @Test func longSilentSleepTimesOut() async throws {
        let result = try await run(tests: "import time\n\ndef test_nap():\n    time.sleep(3600)\n", timeout: 2)
        #expect(result.outcome == .timeout)
        #expect(result.message?.contains("did not finish within 2 s") == true)
    }

    @Test(arguments: [true, false])
    func daemonIgnoringSIGTERMDiesWithTheRun(_ warm: Bool) async throws {
        try await requireLayers(.pidNamespace)
        let tests = """
            import os, signal, time

            def test_daemon():
            \(HostileSnippets.daemon(marker: marker))
                time.sleep(0.5)
            """
        let result = try await run(tests: tests, warm: warm)
        #expect(result.outcome == .passed)
    }

    @Test func forkBombStopsAtTheProcessLimit() async throws {
        try await requireLayers(.processLimit, .pidNamespace)
        // Bounded by its own loop too, so that a broken sandbox cannot take the machine down.
        let tests = """
            import os, time

            def test_bomb():
                for _ in range(5000):
                    try:
                        if os.fork() == 0:
                            time.sleep(300)
                            os._exit(0)
                    except OSError:
                        time.sleep(0.001)
                time.sleep(300)
            """
        // Long enough for pytest to start and reach the limit on a loaded machine; the loop never ends by itself.
        let result = try await run(tests: tests, timeout: 10, sandbox: Sandbox(maxProcesses: 32))
        #expect(result.outcome == .timeout)
        #expect(result.message?.contains("too many processes") == true)
    }

    @Test func memoryBombIsKilledAtTheMemoryLimit() async throws {
        try await requireLayers(.memoryLimit)
        let tests = """
            def test_hog():
                hoard = []
                for _ in range(40):  # at most 4 GB, should the limit fail
                    hoard.append(bytearray(100 * 1024 * 1024))
            """
        let result = try await run(tests: tests, sandbox: Sandbox(memoryBytes: 256 * 1_048_576))
        #expect(result.outcome == .crashed)
        #expect(result.message?.contains("memory") == true)
    }

    @Test func hugeOutputIsStoppedAndCapped() async throws {
        let tests = """
            import sys

            def test_flood():
                for _ in range(100):
                    sys.stdout.write("x" * 1_000_000)
                assert False
            """
        let result = try await run(tests: tests)
        #expect(result.outcome == .crashed)
        #expect(result.message?.contains("limit") == true)
        #expect(result.output.utf8.count < 300 * 1024)
    }

    @Test(arguments: [true, false])
    func writesOutsideTheWorkspaceDoNotReachTheHost(_ warm: Bool) async throws {
        try await requireLayers(.readOnlyFilesystem)
        let targets = ["/root", "/tmp", "/var/tmp", "/etc", FileManager.default.currentDirectoryPath].map {
            "\($0)/escape-\(marker)"
        }
        let tests = """
            TARGETS = \(targets)

            def test_escape():
                for path in TARGETS:
                    try:
                        with open(path, "w") as handle:
                            handle.write("escaped")
                    except OSError:
                        pass
            """
        let result = try await run(tests: tests, warm: warm)
        #expect(result.outcome == .passed)
        for target in targets {
            #expect(!FileManager.default.fileExists(atPath: target), "\(target) was written on the host")
            try? FileManager.default.removeItem(atPath: target)
        }
    }

    /// Run as root, code with capabilities could remount the read-only root read-write and write the host's
    /// files through it. Both the warm worker and bubblewrap drop every capability.
    @Test(arguments: [true, false])
    func remountingTheRootReadWriteIsRefused(_ warm: Bool) async throws {
        try await requireLayers(.readOnlyFilesystem)
        let target = "/etc/escape-\(marker)"
        let tests = """
            import subprocess

            def test_remount():
                subprocess.run(["mount", "-o", "remount,rw", "/"], capture_output=True)
                try:
                    with open(\(String(reflecting: target)), "w") as handle:
                        handle.write("escaped")
                except OSError:
                    pass
            """
        let task = CodingTask(description: "remount", tests: [CodeFile(path: testFile, content: tests)])
        let executor = PytestExecutor(warmWorker: warm, workers: .forTests)
        if warm { try #require(await executor.warmUp(workers: 1)) }
        let result = try await executor.test([], for: task)
        #expect(result.outcome == .passed)
        #expect(!FileManager.default.fileExists(atPath: target), "the host's /etc was written through a remount")
        try? FileManager.default.removeItem(atPath: target)
    }

    @Test func loopbackListenerOutsideIsUnreachable() async throws {
        try await requireLayers(.networkNamespace)
        let listener = try LoopbackListener()
        let tests = """
            import socket

            def test_connect():
                try:
                    socket.create_connection(("127.0.0.1", \(listener.port)), timeout=2).close()
                except OSError:
                    return
                raise AssertionError("connected to the host")
            """
        let result = try await run(tests: tests)
        #expect(result.outcome == .passed, "\(result.tests)")
        #expect(!listener.hasPendingConnection())
    }

    @Test func signalsCannotReachTheParent() async throws {
        try await requireLayers(.pidNamespace)
        SignalCounter.install()
        let before = SignalCounter.count
        let tests = """
            import os, signal

            def test_signal():
                # The namespace's first process, the host's test process, and everything this one may signal.
                for target in (1, \(getpid()), -1):
                    try:
                        os.kill(target, signal.SIGUSR1)
                    except OSError:
                        pass
            """
        let result = try await run(tests: tests)
        #expect(result.outcome == .passed)
        #expect(SignalCounter.count == before, "a signal from the sandbox reached the test process")
    }

    @Test func deletingTheTestFileIsCaught() async throws {
        let tests = "from solution import add\n\ndef test_add():\n    assert add(1, 2) == 3\n"
        let solution = """
            import os
            os.remove(os.path.join(os.path.dirname(os.path.abspath(__file__)), "\(testFile)"))

            def add(a, b):
                return a + b
            """
        let result = try await run(tests: tests, solution: solution)
        // The working directory is sticky and autocoder's: the code cannot delete the file it did not write.
        #expect(result.outcome == .error)
        #expect(result.output.contains("PermissionError"), "\(result.output)")
        #expect(!result.passed)
    }

    @Test func droppingTestsOfAUnittestCaseUnderAnyNameIsCaught() async throws {
        let tests = """
            import unittest
            from solution import add

            class AddTest(unittest.TestCase):
                def test_first(self):
                    self.assertEqual(add(1, 2), 3)

                def test_second(self):
                    self.assertEqual(add(2, 2), 4)
            """
        let solution = """
            import _pytest.unittest as unit

            _collect = unit.UnitTestCase.collect
            unit.UnitTestCase.collect = lambda self: list(_collect(self))[:1]

            def add(a, b):
                return 3
            """
        let result = try await run(tests: tests, solution: solution)
        #expect(result.outcome == .error)
        #expect(result.message?.contains("Only 1 of the 2 test functions ran") == true, "\(result.message ?? "")")
        #expect(result.message?.contains("test_second") == true)
    }

    @Test func droppingTestsFromCollectionIsCaught() async throws {
        let tests = """
            from solution import add

            def test_first():
                assert add(1, 2) == 3

            def test_second():
                assert add(2, 2) == 4
            """
        let solution = """
            import _pytest.python as python

            _collect = python.PyCollector.collect
            python.PyCollector.collect = lambda self: _collect(self)[:1]

            def add(a, b):
                return 3
            """
        let result = try await run(tests: tests, solution: solution)
        #expect(result.outcome == .error)
        #expect(result.message?.contains("Only 1 of the 2 test functions ran") == true)
        #expect(result.message?.contains("test_second") == true)
    }
}

/// Counts SIGUSR1 deliveries to this process.
enum SignalCounter {
    static func install() {
        signal(SIGUSR1) { _ in signalCount.add(1, ordering: .relaxed) }
    }

    static var count: Int { signalCount.load(ordering: .relaxed) }
}

private let signalCount = Atomic<Int>(0)
