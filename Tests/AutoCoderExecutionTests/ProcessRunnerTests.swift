import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

@Suite struct ProcessRunnerTests {
    let runner = ProcessRunner()

    func request(_ script: String, timeout: Duration = .seconds(10), outputLimit: Int = 64 * 1024) -> ProcessRequest {
        ProcessRequest(
            executable: "/bin/sh", arguments: ["-c", script], workingDirectory: "/tmp", timeout: timeout,
            outputLimit: outputLimit)
    }

    @Test func capturesOutputAndExitCode() async throws {
        let result = try await runner.run(request("echo out; echo err >&2; exit 3"))
        #expect(result.termination == .exited(3))
        #expect(result.standardOutput.text == "out\n")
        #expect(result.standardError.text == "err\n")
        #expect(!result.timedOut)
    }

    @Test func backgroundChildrenDieWhenTheRunEnds() async throws {
        let result = try await runner.run(request("sleep 300 >/dev/null 2>&1 & echo $!"))
        let pid = try #require(Int32(result.standardOutput.text.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(await ProcessProbe.isGone(pid))
    }

    @Test func probeSeesALiveProcess() async throws {
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["30"]
        try sleeper.run()
        let pid = sleeper.processIdentifier
        #expect(!ProcessProbe.isDeadNow(pid))
        kill(pid, SIGKILL)
        await sleeper.exited()
        #expect(await ProcessProbe.isGone(pid))
    }

    @Test func markerProbeSeesALiveProcess() async throws {
        let marker = ProcessProbe.sleepMarker()
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = [marker]
        try sleeper.run()
        // Process.run returns after the fork: until the child has exec'd sleep, its command line is the parent's.
        let deadline = ContinuousClock.now + .seconds(5)
        while ProcessProbe.processes(withMarker: marker).isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(ProcessProbe.processes(withMarker: marker) == [sleeper.processIdentifier])
        kill(sleeper.processIdentifier, SIGKILL)
        await sleeper.exited()
        #expect(await ProcessProbe.noneLeft(withMarker: marker))
    }

    @Test func closingThePipesDoesNotDodgeTheTimeout() async throws {
        let result = try await runner.run(request("exec >&- 2>&-; sleep 300", timeout: .milliseconds(500)))
        #expect(result.timedOut)
        #expect(result.termination == .signaled(SIGKILL))
    }

    @Test func inputReachesTheProgram() async throws {
        var request = request("tr a-z A-Z")
        request.input = "hello"
        let result = try await runner.run(request)
        #expect(result.standardOutput.text == "HELLO")
    }

    @Test func environmentIsExactlyTheGivenOne() async throws {
        var request = request("env")
        request.environment = ["ONLY_THIS": "1", "PATH": "/usr/bin:/bin"]
        let result = try await runner.run(request)
        let names = result.standardOutput.text.split(separator: "\n").map { $0.split(separator: "=")[0] }
        #expect(names.contains("ONLY_THIS"))
        #expect(!names.contains("HOME"))
    }

    @Test func missingProgramIsALaunchError() async throws {
        let request = ProcessRequest(executable: "/nonexistent/program", workingDirectory: "/tmp")
        await #expect(throws: ProcessLaunchError.self) { try await runner.run(request) }
    }

    @Test func cancellationKillsTheGroup() async throws {
        let pidFile = "/tmp/autocoder-cancel-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        let task = Task {
            try await runner.run(request("sleep 300 & echo $! > \(pidFile); wait", timeout: .seconds(60)))
        }
        while !FileManager.default.fileExists(atPath: pidFile) { try await Task.sleep(for: .milliseconds(20)) }
        var text = ""
        while text.isEmpty { text = (try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "" }
        let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        task.cancel()
        _ = try? await task.value
        #expect(await ProcessProbe.isGone(pid))
    }

    @Test func limitsAreAppliedThroughPrlimit() async throws {
        try #require(ResourceLimits.prlimitPath != nil, "prlimit is part of util-linux on Linux")
        var request = request("ulimit -c; ulimit -n")
        request.limits = ResourceLimits(openFiles: 123)
        let result = try await runner.run(request)
        #expect(result.standardOutput.text == "0\n123\n")
    }
}
