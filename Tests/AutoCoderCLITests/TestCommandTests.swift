import AutoCoderTestSupport
import Foundation
import Testing

@Suite struct TestCommandTests {
    static let tests =
        "from add import add\n\ndef test_add():\n    assert add(1, 2) == 3\n\ndef test_zero():\n    assert add(0, 0) == 0\n"

    func files(_ code: String) throws -> (TemporaryDirectory, URL, URL) {
        let dir = try TemporaryDirectory()
        return (dir, try dir.write("add.py", code), try dir.write("test_add.py", Self.tests))
    }

    @Test func passingCodeExitsZero() async throws {
        let (dir, code, tests) = try files("def add(a, b):\n    return a + b\n")
        let run = try await CLI.run(["test", "--code", code.path, "--tests", tests.path])
        #expect(run.code == 0)
        #expect(run.stdout.contains("✓ test_add"))
        #expect(run.stdout.contains("Result: passed: 2 passed, 0 failed"))
        _ = dir
    }

    @Test func envPassesVariablesToTheTestsAndRefusesSecrets() async throws {
        let dir = try TemporaryDirectory()
        let code = try dir.write("add.py", "def add(a, b):\n    return a + b\n")
        let tests = try dir.write(
            "test_add.py", "import os\n\ndef test_mode():\n    assert os.environ.get('ADD_MODE') == 'strict'\n")
        let without = try await CLI.run(["test", "--code", code.path, "--tests", tests.path])
        #expect(without.code == 1)
        let with = try await CLI.run(["test", "--code", code.path, "--tests", tests.path, "--env", "ADD_MODE=strict"])
        #expect(with.code == 0, "\(with.stdout) \(with.stderr)")
        let secret = try await CLI.run(
            ["test", "--code", code.path, "--tests", tests.path, "--env", "OPENAI_API_KEY=sk-x"])
        #expect(secret.code == 2)
        #expect(secret.stderr.contains("OPENAI_API_KEY looks like a secret"), "\(secret.stderr)")
        #expect(secret.stdout.isEmpty)
    }

    /// A second code file named like a package installed beside the interpreter that the tests import is refused
    /// (a fresh attacker's `numpy.py` stood in for numpy). `iniconfig` comes with pytest, so it is always there.
    @Test func aFileNamedLikeAnInstalledModuleIsRefused() async throws {
        let dir = try TemporaryDirectory()
        let code = try dir.write("add.py", "def add(a, b):\n    return a + b\n")
        let shadow = try dir.write("iniconfig.py", "IniConfig = None\n")
        let tests = try dir.write("test_add.py", "import iniconfig\n" + Self.tests)
        let run = try await CLI.run(
            ["test", "--code", code.path, "--code", shadow.path, "--tests", tests.path, "--json"])
        #expect(run.code == 1, "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.contains("would shadow the installed module 'iniconfig'"), "\(run.stdout)")
    }

    @Test func memoryIsEnforcedWithoutTheSandboxToo() async throws {
        let dir = try TemporaryDirectory()
        let code = try dir.write("hog.py", "def hog():\n    return bytearray(2 * 1024 ** 3)\n")
        let tests = try dir.write("test_hog.py", "from hog import hog\n\ndef test_hog():\n    assert len(hog()) > 0\n")
        let run = try await CLI.run(
            ["test", "--code", code.path, "--tests", tests.path, "--no-sandbox", "--memory", "256", "--json"])
        #expect(run.code == 1, "a 2 GB allocation passed under --memory 256: \(run.stdout)")
        #expect(run.stdout.contains("MemoryError"), "\(run.stdout)")
    }

    @Test func aSyntaxErrorInTheTestsShowsItsFileAndLine() async throws {
        let dir = try TemporaryDirectory()
        let code = try dir.write("add.py", "x = 1\n")
        let tests = try dir.write("test_bad.py", "def test_x(:\n    pass\n")
        let run = try await CLI.run(["test", "--code", code.path, "--tests", tests.path])
        #expect(run.code == 1)
        #expect(run.stdout.contains("File \"test_bad.py\", line 1"), "\(run.stdout)")
        #expect(!run.stdout.contains("autocoder-"), "the workspace's path is shown")
    }

    @Test func failingCodeExitsOneWithJSON() async throws {
        let (dir, code, tests) = try files("def add(a, b):\n    return a * b\n")
        let run = try await CLI.run(["test", "--code", code.path, "--tests", tests.path, "--json"])
        #expect(run.code == 1)
        let json = try run.json()
        #expect(json["passed"] as? Bool == false)
        #expect(json["outcome"] as? String == "failed")
        #expect(json["num_passed"] as? Int == 1)
        #expect(json["num_failed"] as? Int == 1)
        #expect(json["exit_code"] as? Int == 1)
        #expect(json["duration_ms"] is Int)
        let cases = try #require(json["tests"] as? [[String: Any]])
        let failed = try #require(cases.first { $0["name"] as? String == "test_add" })
        #expect(failed["outcome"] as? String == "failed")
        #expect((failed["message"] as? String)?.contains("assert") == true)
        _ = dir
    }

    @Test func syntaxErrorIsAnErrorOutcome() async throws {
        let (dir, code, tests) = try files("def add(a, b)\n    return a + b\n")
        let run = try await CLI.run(["test", "--code", code.path, "--tests", tests.path, "--json"])
        #expect(run.code == 1)
        let json = try run.json()
        #expect(json["outcome"] as? String == "error")
        #expect((json["message"] as? String)?.contains("SyntaxError") == true)
        _ = dir
    }

    @Test func timeoutOutcome() async throws {
        let (dir, code, tests) = try files("def add(a, b):\n    while True:\n        pass\n")
        let run = try await CLI.run(["test", "--code", code.path, "--tests", tests.path, "--timeout", "1", "--json"])
        #expect(run.code == 1)
        #expect(try run.json()["outcome"] as? String == "timeout")
        _ = dir
    }

    @Test func noSecretReachesTheTests() async throws {
        let dir = try TemporaryDirectory()
        let code = try dir.write("probe.py", "import os\nVISIBLE = dict(os.environ)\n")
        let tests = try dir.write(
            "test_probe.py",
            """
            from probe import VISIBLE

            def test_no_secrets():
                leaked = [k for k in VISIBLE if k.endswith(("_API_KEY", "_TOKEN", "_SECRET"))]
                assert leaked == []

            def test_only_allowlisted_variables():
                assert "AUTOCODER_TEST_PLAIN" not in VISIBLE
                assert "PATH" in VISIBLE
                assert VISIBLE["HOME"] == VISIBLE["TMPDIR"]
                assert VISIBLE["HOME"].endswith("/home")
            """)
        let run = try await CLI.run(
            ["test", "--code", code.path, "--tests", tests.path],
            environment: [
                "OPENAI_API_KEY": "sk-test-123", "ANTHROPIC_API_KEY": "sk-ant-456", "GITHUB_TOKEN": "ghp_x",
                "MY_SECRET": "s", "AUTOCODER_TEST_PLAIN": "visible",
            ])
        #expect(run.code == 0, "stdout: \(run.stdout)")
    }

    @Test func secretsAreUnreachableThroughProc() async throws {
        let dir = try TemporaryDirectory()
        let code = try dir.write("probe.py", "")
        let tests = try dir.write(
            "test_proc.py",
            """
            import os

            def test_no_secret_in_any_visible_process():
                found = []
                for entry in os.listdir("/proc"):
                    if entry.isdigit() or entry == "self":
                        try:
                            with open(f"/proc/{entry}/environ", "rb") as handle:
                                if b"sk-planted-secret" in handle.read():
                                    found.append(entry)
                        except OSError:
                            pass
                for target in (os.getppid(),):
                    try:
                        with open(f"/proc/{target}/environ", "rb") as handle:
                            assert b"sk-planted-secret" not in handle.read()
                    except OSError:
                        pass
                assert found == []
            """)
        let run = try await CLI.run(
            ["test", "--code", code.path, "--tests", tests.path], environment: ["OPENAI_API_KEY": "sk-planted-secret"])
        #expect(run.code == 0, "stdout: \(run.stdout)")
    }

    @Test func limitFlagsReachTheSandbox() async throws {
        let dir = try TemporaryDirectory()
        let code = try dir.write("hog.py", "")
        let tests = try dir.write(
            "test_hog.py", "def test_hog():\n    hoard = [bytearray(50 * 1024 * 1024) for _ in range(20)]\n")
        let small = try await CLI.run(["test", "--code", code.path, "--tests", tests.path, "--memory", "200", "--json"])
        #expect(small.code == 1)
        #expect(try small.json()["outcome"] as? String == "crashed")
        let large = try await CLI.run([
            "test", "--code", code.path, "--tests", tests.path, "--memory", "3000", "--json",
        ])
        #expect(large.code == 0, "stdout: \(large.stdout)")
    }

    @Test func noSandboxStillScrubsTheEnvironment() async throws {
        let (dir, code, tests) = try files(
            "import os\nassert 'OPENAI_API_KEY' not in os.environ\ndef add(a, b):\n    return a + b\n")
        let run = try await CLI.run(
            ["test", "--code", code.path, "--tests", tests.path, "--no-sandbox"],
            environment: ["OPENAI_API_KEY": "sk-x"])
        #expect(run.code == 0, "stdout: \(run.stdout)")
        _ = dir
    }

    @Test func aMissingInterpreterIsAnExecutorFailure() async throws {
        let (dir, code, tests) = try files("def add(a, b):\n    return a + b\n")
        let run = try await CLI.run([
            "test", "--code", code.path, "--tests", tests.path, "--python", "/nonexistent/python3",
        ])
        #expect(run.code == 3)
        #expect(run.stderr.contains("--python"))
        _ = dir
    }
}
