import AutoCoderTestSupport
import Foundation
import Testing

@Suite struct SolveCommandTests {
    @Test(arguments: ["fizzbuzz", "word-count", "roman-numerals"])
    func examplesAreSolvedOnTheSecondIteration(_ name: String) async throws {
        let run = try await CLI.run([
            "solve", "examples/\(name)", "--provider", "script", "--script", "examples/\(name)/replies.json", "--json",
        ])
        #expect(run.code == 0, "stderr: \(run.stderr)")
        let json = try run.json()
        #expect(json["solved"] as? Bool == true)
        #expect(json["stop_reason"] as? String == "tests_passed")
        #expect(json["iterations"] as? Int == 2)
        #expect((json["run_id"] as? String)?.isEmpty == false)
        let steps = try #require(json["steps"] as? [[String: Any]])
        #expect(steps.map { $0["type"] as? String } == ["generate", "fix"])
        let first = try #require(steps[0]["test_result"] as? [String: Any])
        #expect(first["outcome"] as? String == "failed")
        #expect((first["num_failed"] as? Int ?? 0) > 0)
        let last = try #require(json["test_result"] as? [String: Any])
        #expect(last["passed"] as? Bool == true)
        #expect((json["final_files"] as? [[String: Any]])?.isEmpty == false)
        // Progress goes to stderr, never into the JSON on stdout.
        #expect(run.stderr.contains("[1/"))
        #expect(run.stderr.contains("fixing"))
    }

    @Test func readableModePrintsTheCodeAndTheVerdict() async throws {
        let run = try await CLI.run([
            "solve", "examples/fizzbuzz", "--provider", "script", "--script", "examples/fizzbuzz/replies.json",
        ])
        #expect(run.code == 0)
        #expect(run.stdout.hasPrefix("--- solution.py ---\ndef fizzbuzz(n):"))
        #expect(run.stderr.contains("Solved in 2 iterations"))
    }

    @Test func stoppingUnsolvedExitsOne() async throws {
        let run = try await CLI.run([
            "solve", "examples/fizzbuzz", "--provider", "script", "--script", "examples/fizzbuzz/replies.json",
            "--max-iterations", "1", "--json",
        ])
        #expect(run.code == 1)
        let json = try run.json()
        #expect(json["solved"] as? Bool == false)
        #expect(json["stop_reason"] as? String == "max_iterations")
        #expect(json["iterations"] as? Int == 1)
    }

    @Test func runningOutOfRepliesIsAGeneratorFailure() async throws {
        let dir = try TemporaryDirectory()
        let script = try dir.write("one.json", #"["def fizzbuzz(n):\n    return []\n"]"#)
        let run = try await CLI.run([
            "solve", "examples/fizzbuzz", "--provider", "script", "--script", script.path, "--json",
        ])
        #expect(run.code == 3)
        #expect(run.stderr.contains("all were used"))
        let json = try run.json()
        #expect(json["stop_reason"] as? String == "error")
    }

    @Test func descriptionAndTestsWithOutputDirectory() async throws {
        let dir = try TemporaryDirectory()
        let tests = try dir.write(
            "test_add.py", "from adder import add\n\ndef test_add():\n    assert add(2, 3) == 5\n")
        let script = try dir.write(
            "replies.yaml", "- |\n  def add(a, b):\n      return a * b\n- |\n  def add(a, b):\n      return a + b\n")
        let out = dir.url.appendingPathComponent("out")
        let run = try await CLI.run([
            "solve", "--description", "Write add(a, b) in adder.py", "--tests", tests.path, "--solution", "adder",
            "--provider", "script", "--script", script.path, "--output-dir", out.path, "--quiet",
        ])
        #expect(run.code == 0, "stderr: \(run.stderr)")
        #expect(run.stderr.isEmpty)
        let written = try String(contentsOf: out.appendingPathComponent("adder.py"), encoding: .utf8)
        #expect(written == "def add(a, b):\n    return a + b\n")
    }

    @Test func progressWordingForATimeoutAndOneIteration() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("task/task.md", "Write add.")
        try dir.write(
            "task/tests/test_a.py", "import time\n\ndef test_a():\n    time.sleep(30)\n\ndef test_b():\n    pass\n")
        let run = try await CLI.run([
            "solve", dir.url.appendingPathComponent("task").path, "--provider", "command", "--command",
            "echo 'x = 1'", "--max-iterations", "1", "--timeout", "1", "--no-store",
        ])
        #expect(run.code == 1)
        #expect(run.stderr.contains("at most 1 iteration)"), "\(run.stderr)")
        #expect(!run.stderr.contains("0/0 tests passed"), "\(run.stderr)")
        #expect(run.stderr.contains("] timeout: "), "\(run.stderr)")
        #expect(!run.stderr.contains(".."), "\(run.stderr)")
    }

    @Test func everyDocumentedKeyIsPresentAndAnUnrecordedRunHasNoID() async throws {
        let replies = "examples/fizzbuzz/replies.json"
        let unrecorded = try await CLI.run(
            ["solve", "examples/fizzbuzz", "--provider", "script", "--script", replies, "--no-store", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(unrecorded.stdout.utf8)) as? NSDictionary)
        for key in [
            "run_id", "solved", "stop_reason", "iterations", "steps", "final_files", "test_result", "usage", "error",
            "duration_ms", "stop_detail", "best_iteration", "holdout_result", "overfit", "flaky_tests", "candidates",
        ] {
            #expect(object[key] != nil, "missing key \(key)")
        }
        #expect(object["run_id"] is NSNull, "a run that was not stored has no id")
        #expect(object["holdout_result"] is NSNull)

        let dir = try TemporaryDirectory()
        let recorded = try await CLI.run([
            "solve", "examples/fizzbuzz", "--provider", "script", "--script", replies, "--json", "--store",
            dir.url.appendingPathComponent("runs.sqlite").path,
        ])
        #expect(try recorded.json()["run_id"] is String)
    }

    @Test func binaryDataFilesInTestsAreCopiedByteForByte() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("task/task.md", "Write size() in solution.py: the number of bytes of data/blob.bin.")
        let bytes = Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF, 0xFE, 0x0A, 0x80])
        let blob = dir.url.appendingPathComponent("task/tests/data/blob.bin")
        try FileManager.default.createDirectory(at: blob.deletingLastPathComponent(), withIntermediateDirectories: true)
        try bytes.write(to: blob)
        try dir.write(
            "task/tests/test_size.py",
            "import pathlib\nfrom solution import size\n\ndef test_size():\n"
                + "    data = pathlib.Path('data/blob.bin').read_bytes()\n"
                + "    assert data == bytes([0x89, 0x50, 0x4E, 0x47, 0, 0xFF, 0xFE, 0x0A, 0x80])\n"
                + "    assert size() == 9\n")
        let replies = try dir.write(
            "replies.json",
            #"["import pathlib\ndef size():\n    return len(pathlib.Path('data/blob.bin').read_bytes())\n"]"#)
        let run = try await CLI.run([
            "solve", dir.url.appendingPathComponent("task").path, "--provider", "script", "--script", replies.path,
            "--no-store",
        ])
        #expect(run.code == 0, "\(run.stdout) \(run.stderr)")
    }

    @Test func aBadOutputDirectoryIsRefusedBeforeTheRun() async throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("not-a-directory", "x")
        let replies = CLI.repository.appendingPathComponent("examples/fizzbuzz/replies.json").path
        for target in [file.path, file.path + "/inside"] {
            let run = try await CLI.run([
                "solve", "examples/fizzbuzz", "--provider", "script", "--script", replies, "--output-dir", target,
                "--no-store", "--json",
            ])
            #expect(run.code == 2, "stderr: \(run.stderr)")
            #expect(run.stderr.contains("--output-dir"), "\(run.stderr)")
            #expect(!run.stderr.contains("generating"), "no model call before the check")
        }
    }

    @Test func commandProviderGetsTheRequestAsJSON() async throws {
        let dir = try TemporaryDirectory()
        let program = try dir.write(
            "gen.py",
            """
            import json, sys
            request = json.load(sys.stdin)
            assert request["task"]["solution_path"] == "solution.py"
            assert request["iteration"] == (1 if request["type"] == "generate" else 2), request["iteration"]
            assert 16 <= request["reply_tokens"] <= 4096, request["reply_tokens"]
            # Every key is there, null when it has no value (docs/providers.md).
            assert request["variant"] is None, request["variant"]
            if request["type"] == "generate":
                assert request["previous_files"] is None and request["feedback"] is None, request
                print("```python\\ndef fizzbuzz(n):\\n    return []\\n```")
            else:
                assert "test_first_fifteen" in request["feedback"], request["feedback"]
                assert request["previous_files"][0]["path"] == "solution.py"
                print("```python")
                print("def fizzbuzz(n):")
                print("    return ['FizzBuzz' if i % 15 == 0 else 'Fizz' if i % 3 == 0 else 'Buzz' if i % 5 == 0 else str(i) for i in range(1, n + 1)]")
                print("```")
            """)
        let run = try await CLI.run([
            "solve", "examples/fizzbuzz", "--provider", "command", "--command", "python3 \(program.path)", "--json",
        ])
        #expect(run.code == 0, "stderr: \(run.stderr)")
        #expect(try run.json()["iterations"] as? Int == 2)
    }

    @Test func aFailingCommandIsAGeneratorFailure() async throws {
        let run = try await CLI.run([
            "solve", "examples/fizzbuzz", "--provider", "command", "--command", "echo model offline >&2; exit 7",
        ])
        #expect(run.code == 3)
        #expect(run.stderr.contains("exit code 7"))
        #expect(run.stderr.contains("model offline"))
    }
}
