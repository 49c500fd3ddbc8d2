import AutoCoderTestSupport
import Foundation
import Testing

@Suite struct DoctorCommandTests {
    @Test func reportsEveryLayerAndThePython() async throws {
        let run = try await CLI.run(["doctor", "--json"])
        #expect(run.code == 0, "stderr: \(run.stderr)")
        let json = try run.json()
        let layers = try #require(json["layers"] as? [[String: Any]])
        let names = Set(layers.compactMap { $0["layer"] as? String })
        #expect(
            names == [
                "pid_namespace", "read_only_filesystem", "network_namespace", "ipc_uts_namespaces", "memory_limit",
                "process_limit", "resource_limits", "environment_allowlist", "process_group", "system_call_filter",
                "filesystem_view", "unprivileged_user", "disk_quota", "landlock",
            ])
        for layer in layers {
            #expect(layer["active"] is Bool)
            #expect((layer["detail"] as? String)?.isEmpty == false)
        }
        #expect((json["python"] as? String)?.isEmpty == false)
        #expect(json["pytest"] is String)
    }

    @Test func readableOutputAndNoSandbox() async throws {
        let run = try await CLI.run(["doctor", "--no-sandbox"])
        #expect(run.code == 0)
        #expect(run.stdout.contains("✗ pid_namespace"))
        #expect(run.stdout.contains("off (--no-sandbox)"))
        #expect(run.stdout.contains("✓ environment_allowlist"))
    }

    @Test func aMissingPythonFails() async throws {
        let run = try await CLI.run(["doctor", "--python", "/nonexistent/python"])
        #expect(run.code == 3)
        #expect(run.stderr.contains("--python"))
    }

    @Test func aProgramThatIsNoPythonWithPytestIsRefused() async throws {
        let doctor = try await CLI.run(["doctor", "--python", "/bin/true"])
        #expect(doctor.code == 3, "\(doctor.stdout) \(doctor.stderr)")
        #expect(doctor.stderr.contains("/bin/true is not a Python 3 interpreter"), "\(doctor.stderr)")
        // `test` says the same, and runs nothing: the code is not blamed.
        let files = try TemporaryDirectory()
        let code = try files.write("add.py", "def add(a, b):\n    return a + b\n")
        let tests = try files.write(
            "test_add.py", "from add import add\n\ndef test_add():\n    assert add(1, 2) == 3\n")
        let test = try await CLI.run(["test", "--python", "/bin/ls", "--code", code.path, "--tests", tests.path])
        #expect(test.code == 3, "\(test.stderr)")
        #expect(test.stdout.contains("/bin/ls is not a Python 3 interpreter"), "\(test.stdout)")
        #expect(!test.stdout.contains("ended the process early"))

        let dir = try TemporaryDirectory()
        let marker = dir.url.appendingPathComponent("called").path
        let solve = try await CLI.run([
            "solve", "examples/fizzbuzz", "--python", "/bin/true", "--provider", "command", "--command",
            "touch \(marker); echo x = 1", "--no-store",
        ])
        #expect(solve.code == 3, "\(solve.stderr)")
        #expect(solve.stderr.contains("No model was called"))
        #expect(!FileManager.default.fileExists(atPath: marker), "the generator was called")
    }

    @Test func testWithAPythonThatHasNoPytestBlamesTheInterpreterNotTheCode() async throws {
        // A real Python without pytest (a virtualenv without pip): the runner's failure, exit 3, the install hint.
        let dir = try TemporaryDirectory()
        let venv = Process()
        venv.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        venv.arguments = ["python3", "-m", "venv", "--without-pip", dir.url.appendingPathComponent("venv").path]
        try venv.run()
        venv.waitUntilExit()
        let python = dir.url.appendingPathComponent("venv/bin/python").path
        try "def add(a, b):\n    return a + b\n".write(
            to: dir.url.appendingPathComponent("add.py"), atomically: true, encoding: .utf8)
        try "from add import add\n\ndef test_add():\n    assert add(1, 2) == 3\n".write(
            to: dir.url.appendingPathComponent("test_add.py"), atomically: true, encoding: .utf8)
        let run = try await CLI.run(
            ["test", "--code", "add.py", "--tests", "test_add.py", "--python", python, "--json"], directory: dir.url)
        #expect(run.code == 3, "\(run.stderr)")
        let document = try run.json()
        #expect(document["outcome"] as? String == "infrastructure_error")
        #expect((document["message"] as? String)?.contains("pytest is not installed for \(python)") == true)
        #expect(!run.stdout.contains("ended the process early"))
    }
}
