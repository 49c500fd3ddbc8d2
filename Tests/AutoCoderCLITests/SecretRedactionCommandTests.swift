import AutoCoderTestSupport
import Foundation
import Testing

/// What a test prints can carry a secret the code found; it must not reach the JSON, the store or a prompt.
@Suite struct SecretRedactionCommandTests {
    @Test func aSecretThatTheTestsPrintIsRedactedFromTheJSONAndTheStore() async throws {
        let directory = try TemporaryDirectory()
        let secret = "Zq8Lr2Vm6Tx0Wb4Nc7Hd1Kf5"
        let code = directory.url.appendingPathComponent("solution.py")
        let tests = directory.url.appendingPathComponent("test_solution.py")
        // The code puts together this process's own key and a key of a well-known format from pieces (the sandbox
        // shows it none of the host's files, and neither key is anywhere in the task as a whole).
        let half = secret.count / 2
        try """
        def read():
            return "DEMO_API_KEY=" + \(String(reflecting: String(secret.prefix(half)))) + \(String(reflecting: String(secret.dropFirst(half)))) + "\\nother=sk-proj-" + "4f9Qz8LmN2x" + "Yt7Rk3Vb1Hc6Jd0We5Ua\\n"

        """.write(to: code, atomically: true, encoding: .utf8)
        try "from solution import read\n\ndef test_read():\n    print(read())\n    assert read() == ''\n"
            .write(to: tests, atomically: true, encoding: .utf8)

        let run = try await CLI.run(
            ["test", "--code", code.path, "--tests", tests.path, "--json"],
            environment: ["DEMO_API_KEY": secret])
        #expect(run.code == 1)
        #expect(!run.stdout.contains(secret), "the key reached the JSON")
        #expect(!run.stdout.contains("4f9Qz8LmN2"), "the sk- key reached the JSON")
        let result = try run.json()
        #expect((result["output"] as? String)?.contains("secret-looking string(s) redacted") == true)
        let message = try #require((result["tests"] as? [[String: Any]])?.first?["message"] as? String)
        #expect(message.contains("[REDACTED]"))

        // Through the loop: neither the feedback nor anything else in the store holds it.
        let store = directory.url.appendingPathComponent("runs.sqlite").path
        let task = directory.url.appendingPathComponent("task")
        try FileManager.default.createDirectory(
            at: task.appendingPathComponent("tests"), withIntermediateDirectories: true)
        try "Write `read()` in solution.py.\n".write(
            to: task.appendingPathComponent("task.md"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(
            at: tests, to: task.appendingPathComponent("tests").appendingPathComponent(tests.lastPathComponent))
        let reply = "```python\n" + (try String(contentsOf: code, encoding: .utf8)) + "```"
        let script = directory.url.appendingPathComponent("replies.json")
        try JSONSerialization.data(withJSONObject: [reply, reply + "\n"]).write(to: script)
        let solve = try await CLI.run(
            [
                "solve", task.path, "--provider", "script", "--script", script.path, "--max-iterations", "2",
                "--store", store, "--json",
            ], environment: ["DEMO_API_KEY": secret])
        #expect(solve.code == 1, "\(solve.stderr)")
        #expect(!solve.stdout.contains(secret))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: store))
        bytes.append((try? Data(contentsOf: URL(fileURLWithPath: store + "-wal"))) ?? Data())
        #expect(bytes.range(of: Data(secret.utf8)) == nil, "the key reached the store")
        #expect(bytes.range(of: Data("[REDACTED]".utf8)) != nil)
    }

    /// A secret in root's home and the run store are not in the sandbox's view at all: what the code prints of its
    /// attempt to read them is "No such file", and the secret reaches neither the JSON nor the store.
    @Test func filesOutsideTheViewNeverReachTheJSONOrTheStore() async throws {
        let directory = try TemporaryDirectory()
        let secret = "planted-\(UUID().uuidString)"
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        let planted = "\(home)/.autocoder-planted-\(UUID().uuidString)"
        try secret.write(toFile: planted, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: planted) }
        let store = directory.url.appendingPathComponent("runs.sqlite").path
        let code = """
            def read():
                found = []
                for path in [\(String(reflecting: planted)), \(String(reflecting: store)), "/etc/shadow"]:
                    try:
                        found.append(open(path).read())
                    except OSError as error:
                        found.append("%s: %s" % (path, error.strerror))
                return found

            """
        let tests = "from solution import read\n\ndef test_read():\n    print(read())\n    assert read() == []\n"
        let task = directory.url.appendingPathComponent("task")
        try FileManager.default.createDirectory(
            at: task.appendingPathComponent("tests"), withIntermediateDirectories: true)
        try "Write `read()` in solution.py.\n".write(
            to: task.appendingPathComponent("task.md"), atomically: true, encoding: .utf8)
        try tests.write(
            to: task.appendingPathComponent("tests/test_solution.py"), atomically: true, encoding: .utf8)
        let script = directory.url.appendingPathComponent("replies.json")
        try JSONSerialization.data(withJSONObject: ["```python\n" + code + "```"]).write(to: script)
        let solve = try await CLI.run([
            "solve", task.path, "--provider", "script", "--script", script.path, "--max-iterations", "1",
            "--store", store, "--json",
        ])
        #expect(solve.code == 1, "\(solve.stderr)")
        #expect(!solve.stdout.contains(secret), "the planted secret reached the JSON")
        #expect(solve.stdout.contains("No such file or directory"), "\(solve.stdout.suffix(2000))")
        #expect(solve.stdout.contains("Permission denied"), "/etc/shadow was not refused")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: store))
        bytes.append((try? Data(contentsOf: URL(fileURLWithPath: store + "-wal"))) ?? Data())
        #expect(bytes.range(of: Data(secret.utf8)) == nil, "the planted secret reached the store")
    }
}
