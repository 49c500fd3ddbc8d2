import AutoCoderTestSupport
import Foundation
import Testing

/// The real local model, end to end: installed through `autocoder model install` when missing, then used by
/// `solve --provider local`. Serialized: each test looks for the model's server by its command line.
@Suite(.serialized) struct LocalModelTests {
    /// Every local model server of these tests has this path in its command line.
    static let serverMarker = CLI.home + "/local-model/venv"

    /// Installs the model into the tests' AUTOCODER_HOME unless it is there (the first install compiles
    /// llama.cpp; `scripts/test` runs the same command before the tests, with its progress visible).
    static func ensureInstalled() async throws {
        let status = try await CLI.run(["model", "status"])
        if status.code == 0 { return }
        let install = try await CLI.run(["model", "install"], timeout: .seconds(45 * 60))
        try #require(install.code == 0, "model install failed: \(install.stderr)")
    }

    @Test func theDemoTaskIsSolvedByTheLocalModel() async throws {
        try await Self.ensureInstalled()
        let status = try await CLI.run(["model", "status"])
        #expect(status.stdout.contains("installed: yes"))
        #expect(status.stdout.contains("SmolLM2-135M-Instruct.Q4_1.gguf"))

        let run = try await CLI.run(
            ["solve", "examples/demo", "--provider", "local", "--json"], timeout: .seconds(600))
        #expect(run.code == 0, "stdout: \(run.stdout) stderr: \(run.stderr)")
        let json = try run.json()
        #expect(json["solved"] as? Bool == true)
        let usage = try #require(json["usage"] as? [String: Any])
        #expect((usage["completion_tokens"] as? Int ?? 0) > 0)
        #expect(usage["cost_usd"] as? Double == 0)
        #expect(run.stderr.contains("Starting the local model"))
        #expect(await ProcessProbe.noneLeft(withMarker: Self.serverMarker, within: 10), "the server outlived the run")
    }

    @Test(arguments: [SIGKILL, SIGINT])
    func theServerDiesWithAutocoder(_ signal: Int32) async throws {
        try await Self.ensureInstalled()
        let dir = try TemporaryDirectory()
        try dir.write("task.md", "Write add(a, b) in solution.py.")
        try dir.write(
            "tests/test_slow.py", "import time\nfrom solution import add\n\ndef test_slow():\n    time.sleep(120)\n")
        let process = try CLI.launch(["solve", dir.url.path, "--provider", "local", "--timeout", "200", "--no-store"])
        var servers: [Int32] = []
        for _ in 0..<1200 where servers.isEmpty {
            servers = ProcessProbe.processes(withMarker: Self.serverMarker)
            if servers.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        }
        try #require(!servers.isEmpty, "the local model server never started")
        try await Task.sleep(for: .seconds(1))
        kill(process.processIdentifier, signal)
        while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        if signal == SIGINT {
            #expect(process.terminationStatus == 130)
        }
        #expect(await ProcessProbe.noneLeft(withMarker: Self.serverMarker, within: 15), "an orphan server is left")
    }
}
