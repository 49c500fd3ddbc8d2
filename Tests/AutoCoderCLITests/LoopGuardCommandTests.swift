import AutoCoderTestSupport
import Foundation
import Testing

/// solve's loop guards from the command line.
@Suite struct LoopGuardCommandTests {
    let tests = "from adder import add\n\ndef test_small():\n    assert add(1, 2) == 3\n"

    @Test func heldOutTestsFlagOverfitting() async throws {
        let dir = try TemporaryDirectory()
        let visible = try dir.write("test_add.py", tests)
        let hidden = try dir.write(
            "test_hidden.py", "from adder import add\n\ndef test_large():\n    assert add(1000, 2000) == 3000\n")
        let script = try dir.write("r.json", #"["def add(a, b):\n    return 3 if (a, b) == (1, 2) else 0\n"]"#)
        let run = try await CLI.run([
            "solve", "--description", "Write add(a, b) in adder.py", "--tests", visible.path, "--solution", "adder",
            "--holdout", hidden.path, "--provider", "script", "--script", script.path, "--no-store", "--json",
        ])
        #expect(run.code == 0, "stderr: \(run.stderr)")
        let json = try run.json()
        #expect(json["solved"] as? Bool == true)
        #expect(json["overfit"] as? Bool == true)
        #expect((json["holdout_result"] as? [String: Any])?["outcome"] as? String == "failed")
        #expect(run.stderr.contains("overfits the visible tests"))
    }

    /// Solves "write add" with a wrong reply, then a right one, and the given flags.
    func solveAdd(_ flags: [String]) async throws -> CLI.Run {
        let dir = try TemporaryDirectory()
        let visible = try dir.write("test_add.py", tests)
        let script = try dir.write(
            "r.json", #"["def add(a, b):\n    return 0\n", "def add(a, b):\n    return a + b\n"]"#)
        return try await CLI.run(
            [
                "solve", "--description", "Write add(a, b) in adder.py", "--tests", visible.path, "--solution", "adder",
                "--provider", "script", "--script", script.path, "--no-store", "--json",
            ] + flags)
    }

    @Test func aTokenBudgetStopsBeforeTheCallThatCouldExceedIt() async throws {
        // A small budget still makes calls (with shorter replies), and the total stays within it.
        let small = try await solveAdd(["--max-tokens", "4000"])
        #expect(small.code == 0, "stderr: \(small.stderr)")
        let usage = try #require(try small.json()["usage"] as? [String: Any])
        #expect((usage["prompt_tokens"] as? Int ?? 0) + (usage["completion_tokens"] as? Int ?? 0) <= 4000)

        // Not even the prompt and 16 reply tokens fit in 20: no call is made, and the numbers are said.
        let run = try await solveAdd(["--max-tokens", "20"])
        #expect(run.code == 1, "stderr: \(run.stderr)")
        let json = try run.json()
        #expect(json["stop_reason"] as? String == "budget_exhausted")
        #expect(json["iterations"] as? Int == 0)
        #expect((json["stop_detail"] as? String)?.contains("20-token budget") == true)
        #expect(run.stderr.contains("Not solved: stopped (budget_exhausted)"))
    }

    @Test func candidatesAreTriedAtOnceAndTheBestKept() async throws {
        let run = try await solveAdd(["--candidates", "2"])
        #expect(run.code == 0, "stderr: \(run.stderr)")
        let json = try run.json()
        #expect(json["iterations"] as? Int == 1)
        let candidates = try #require(json["candidates"] as? [[String: Any]])
        #expect(candidates.map { $0["kept"] as? Bool } == [false, true])
    }

    @Test func loopGuardFlagsAreChecked() async throws {
        for (arguments, fragment) in [
            (["--candidates", "0"], "--candidates must be between 1 and 16"),
            (["--max-cost", "2"], "the model is not in the price table, so pass --price-in and --price-out"),
            (["--stall-limit", "0"], "--stall-limit must be at least 1"),
            (["--price-in", "1"], "Give --price-in and --price-out together"),
        ] {
            let run = try await CLI.run(
                ["solve", "examples/fizzbuzz", "--provider", "command", "--command", "true"] + arguments)
            #expect(run.code == 2, "\(arguments)")
            #expect(run.stderr.contains(fragment), "\(arguments): \(run.stderr)")
        }
    }
}
