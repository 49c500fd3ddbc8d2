import AutoCoderTestSupport
import Foundation
import Testing

/// Ctrl-C (SIGINT) and SIGTERM stop a run, kill its processes, and exit 130.
@Suite struct InterruptTests {
    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalStopsTheRunAndItsProcesses(_ signal: Int32) async throws {
        let dir = try TemporaryDirectory()
        let pidFile = dir.url.appendingPathComponent("generator.pid").path
        let process = try CLI.launch([
            "solve", "examples/fizzbuzz", "--provider", "command",
            "--command", "echo $$ > \(pidFile); exec sleep 300", "--json",
        ])
        var text = ""
        for _ in 0..<1_500 where text.isEmpty {
            text = (try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? ""
            if text.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        }
        let pid = try #require(
            Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), "the generator never started")
        #expect(!ProcessProbe.isDeadNow(pid))
        kill(process.processIdentifier, signal)
        await process.exited()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 130)
        #expect(await ProcessProbe.isGone(pid))
    }

    @Test func aRunStoppedWithCtrlCIsListedInterrupted() async throws {
        let dir = try TemporaryDirectory()
        let started = dir.url.appendingPathComponent("started").path
        let environment = ["AUTOCODER_HOME": dir.url.appendingPathComponent("home").path]
        let process = try CLI.launch(
            [
                "solve", "examples/fizzbuzz", "--provider", "command", "--command",
                "touch \(started); exec sleep 300",
            ], environment: environment)
        for _ in 0..<1_500 where !FileManager.default.fileExists(atPath: started) {
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(process.processIdentifier, SIGINT)
        await process.exited()
        #expect(process.terminationStatus == 130)
        let list = try await CLI.run(["runs", "list", "--json"], environment: environment)
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(runs.count == 1)
        #expect(runs.first?["status"] as? String == "interrupted", "\(list.stdout)")
        #expect(runs.first?["stop_reason"] as? String == "cancelled", "\(list.stdout)")
    }

    @Test func anInterruptedBenchExits130AndSaysSo() async throws {
        let output = Pipe()
        let process = try CLI.launch(
            ["bench", "humaneval", "--provider", "command", "--command", "exec sleep 300", "--json"],
            standardOutput: output)
        try await Task.sleep(for: .seconds(3))
        kill(process.processIdentifier, SIGINT)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        await process.exited()
        #expect(process.terminationStatus == 130)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["interrupted"] as? Bool == true)
    }

    /// Nothing autocoder wrote to its temporary directory, and no process it started, outlives it: after Ctrl-C in
    /// the middle of a test run, and after a normal end (a warm worker may still be warming up then).
    @Test func nothingIsLeftInTheTemporaryDirectory() async throws {
        let dir = try TemporaryDirectory()
        let temporary = dir.url.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        try dir.write("task/task.md", "Write add.")
        try dir.write("task/tests/test_slow.py", "import time\n\ndef test_slow():\n    time.sleep(60)\n")

        let process = try CLI.launch(
            [
                "solve", dir.url.appendingPathComponent("task").path, "--provider", "command", "--command",
                "echo 'def add(a, b): return a + b'", "--no-store",
            ], environment: ["TMPDIR": temporary.path])
        for _ in 0..<300 where (try? FileManager.default.contentsOfDirectory(atPath: temporary.path))?.isEmpty ?? true {
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .seconds(2))
        kill(process.processIdentifier, SIGINT)
        await process.exited()
        #expect(process.terminationStatus == 130)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path) == [], "left after Ctrl-C")

        let normal = try await CLI.run(
            [
                "solve", "examples/fizzbuzz", "--provider", "script", "--script", "examples/fizzbuzz/replies.json",
                "--no-store",
            ], environment: ["TMPDIR": temporary.path])
        #expect(normal.code == 0, "\(normal.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path) == [], "left after a normal end")
    }
}
