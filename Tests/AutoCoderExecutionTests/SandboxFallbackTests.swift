import AutoCoder
import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

/// Where bubblewrap or cgroups are missing, the sandbox falls back and still contains what it can.
@Suite(.serialized) struct SandboxFallbackTests {
    let marker = "f\(UInt64.random(in: 100_000_000_000...999_999_999_999))"

    func run(_ tests: String, sandbox: Sandbox, timeout: Double = 20) async throws -> TestResult {
        let task = CodingTask(
            description: "fallback", tests: [CodeFile(path: "test_\(marker).py", content: tests)],
            timeoutSeconds: timeout)
        let result = try await PytestExecutor(sandbox: sandbox, workers: .forTests)
            .test([CodeFile(path: "solution.py", content: "")], for: task)
        #expect(await ProcessProbe.noneLeft(withMarker: marker), "processes of the run outlived it")
        return result
    }

    @Test func unshareAloneStillContainsProcessesAndNetwork() async throws {
        try #require(await SandboxCapabilities.current().unshare != nil, "unshare (util-linux) is part of Linux")
        let sandbox = Sandbox(namespaces: .unshare)
        let listener = try LoopbackListener()
        let tests = """
            import os, signal, socket, time

            def test_daemon_and_network():
            \(HostileSnippets.daemon(marker: marker))
                # Under unshare --fork the namespace's PID 1 is the program itself, not bwrap.
                with open("/proc/1/cmdline", "rb") as handle:
                    init = handle.read()
                assert b"bwrap" not in init and b"pytest" in init, init
                try:
                    socket.create_connection(("127.0.0.1", \(listener.port)), timeout=2).close()
                except OSError:
                    return
                raise AssertionError("connected to the host")
            """
        let result = try await run(tests, sandbox: sandbox)
        #expect(result.outcome == .passed, "\(result.message ?? "") \(result.tests)")
        #expect(!listener.hasPendingConnection())
        let layers = await SandboxCapabilities.current().layers(for: sandbox)
        #expect(layers.first { $0.layer == .pidNamespace }?.detail == "unshare")
        #expect(layers.first { $0.layer == .readOnlyFilesystem }?.active == false)
    }

    /// Without bubblewrap there is no read-only filesystem, but Landlock still keeps writes in the run's own
    /// directories (this failed before Landlock: `unshare` alone let the code write the host's /var/tmp).
    @Test func withOnlyUnshareLandlockKeepsWritesInTheWorkspace() async throws {
        let capabilities = await SandboxCapabilities.current()
        try #require(capabilities.landlockABI > 0, "this kernel has no Landlock")
        let targets = ["/var/tmp/escape-\(marker)", "/etc/escape-\(marker)"]
        let tests = """
            import errno

            def test_writes():
                for path in \(targets):
                    try:
                        open(path, "w").close()
                    except OSError as error:
                        assert error.errno == errno.EACCES, (path, error)
                    else:
                        raise AssertionError("wrote " + path)
                open("mine.txt", "w").close()  # the run's own directory stays writable
            """
        let result = try await run(tests, sandbox: Sandbox(namespaces: .unshare))
        #expect(result.outcome == .passed, "\(result.message ?? "") \(result.output)")
        for target in targets {
            #expect(!FileManager.default.fileExists(atPath: target), "\(target) was written on the host")
            try? FileManager.default.removeItem(atPath: target)
        }
        #expect(capabilities.layers(for: Sandbox(namespaces: .unshare)).first { $0.layer == .landlock }?.active == true)
    }

    @Test func withoutCgroupsMemoryFallsBackToTheAddressSpaceLimit() async throws {
        let sandbox = Sandbox(memoryBytes: 256 * 1_048_576, namespaces: .none, cgroups: false)
        // The hoard is released before the error goes on: pytest would otherwise format the failure at the very
        // edge of the address space, which under a loaded machine can take longer than the timeout.
        let tests = """
            def test_hog():
                hoard = []
                try:
                    for _ in range(40):  # at most 4 GB, should the limit fail
                        hoard.append(bytearray(100 * 1024 * 1024))
                except MemoryError:
                    hoard.clear()
                    raise
            """
        let result = try await run(tests, sandbox: sandbox, timeout: 60)
        #expect(result.outcome == .failed, "\(result.message ?? "") \(result.output)")
        #expect(result.tests.first?.message?.contains("MemoryError") == true)
        let layers = await SandboxCapabilities.current().layers(for: sandbox)
        let memory = try #require(layers.first { $0.layer == .memoryLimit })
        #expect(memory.active)
        #expect(memory.detail.contains("address-space rlimit"))
        #expect(layers.first { $0.layer == .processLimit }?.active == false)
        #expect(layers.first { $0.layer == .pidNamespace }?.active == false)
    }

    @Test func withNothingButTheProcessGroupTheTimeoutStillKillsEverything() async throws {
        let tests = """
            import subprocess, time

            def test_spawn_and_hang():
                subprocess.Popen(["sleep", "300", "\(marker)"])
                time.sleep(300)
            """
        let result = try await run(tests, sandbox: .off, timeout: 3)
        #expect(result.outcome == .timeout)
    }
}
