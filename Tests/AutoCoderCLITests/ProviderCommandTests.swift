import AutoCoderTestSupport
import Foundation
import Testing

/// `solve` with model providers, against real HTTP servers on 127.0.0.1.
@Suite struct ProviderCommandTests {
    static let wrong = "```python\ndef fizzbuzz(n):\n    return []\n```\n"
    static let right = """
        ```python
        def fizzbuzz(n):
            out = []
            for i in range(1, n + 1):
                out.append("FizzBuzz" if i % 15 == 0 else "Fizz" if i % 3 == 0 else "Buzz" if i % 5 == 0 else str(i))
            return out
        ```

        """

    /// An OpenAI-compatible server that answers `replies` in order (the last one again after that).
    func server(_ replies: [String], usage: (Int, Int) = (1000, 200)) throws -> TestHTTPServer {
        try TestHTTPServer { _, index in
            let reply = replies[min(index, replies.count - 1)]
            let pieces = stride(from: 0, to: reply.count, by: 9).map {
                String(reply.dropFirst($0).prefix(9))
            }
            return .events(StreamText.openAI(pieces, usage: usage), pieceSize: 13)
        }
    }

    @Test func aTokenBudgetHoldsWhenTheProviderCountsMoreThanTheEstimate() async throws {
        // The provider counts 400 prompt tokens a call, far more than autocoder's estimate of the task's text (its
        // instructions and template are in the prompt too). Trusting the estimate, a third call was made and the run
        // ended at 1,500 tokens of a 1,200-token budget.
        let server = try server(["```python\ndef add(a, b):\n    return 0\n```\n"], usage: (400, 100))
        let dir = try TemporaryDirectory()
        let tests = try dir.write(
            "test_add.py", "from adder import add\n\ndef test_add():\n    assert add(1, 2) == 3\n")
        let run = try await CLI.run(
            [
                "solve", "--description", "add(a, b) in adder.py", "--tests", tests.path, "--solution", "adder",
                "--provider", "openai", "--model", "some-model", "--base-url", "\(server.baseURL.absoluteString)/v1",
                "--max-tokens", "1200", "--max-iterations", "10", "--no-store", "--json",
            ], environment: ["OPENAI_API_KEY": "sk-never-shown"])
        #expect(run.code == 1, "stderr: \(run.stderr)")
        let json = try run.json()
        #expect(json["stop_reason"] as? String == "budget_exhausted")
        let usage = try #require(json["usage"] as? [String: Any])
        let total = (usage["prompt_tokens"] as? Int ?? 0) + (usage["completion_tokens"] as? Int ?? 0)
        #expect(total <= 1200, "\(usage)")
        #expect(server.requests.count == total / 500)
        #expect(server.requests.count >= 1)
    }

    @Test func anOpenAICompatibleServerSolvesATaskWithUsageAndCostFromTheAPI() async throws {
        let server = try server([Self.wrong, Self.right])
        let run = try await CLI.run(
            [
                "solve", "examples/fizzbuzz", "--provider", "openai", "--model", "some-model", "--base-url",
                "\(server.baseURL.absoluteString)/v1", "--price-in", "2", "--price-out", "10", "--json",
            ], environment: ["OPENAI_API_KEY": "sk-never-shown"])
        #expect(run.code == 0, "stderr: \(run.stderr)")
        let json = try run.json()
        #expect(json["solved"] as? Bool == true)
        #expect(json["iterations"] as? Int == 2)
        let usage = try #require(json["usage"] as? [String: Any])
        #expect(usage["prompt_tokens"] as? Int == 2000)
        #expect(usage["completion_tokens"] as? Int == 400)
        #expect(usage["estimated"] as? Bool == false)
        // 2000 tokens at $2/M plus 400 at $10/M.
        #expect(abs((usage["cost_usd"] as? Double ?? 0) - 0.008) < 1e-9)
        #expect(server.requests.count == 2)
        #expect(server.requests.allSatisfy { $0.headers["authorization"] == "Bearer sk-never-shown" })
    }

    /// `--events=deltas`: the reply's text as it streams, in pieces that add up to the reply, before the
    /// generation's end.
    @Test func eventDeltasCarryTheStreamingReply() async throws {
        let server = try server([Self.right])
        let run = try await CLI.run(
            [
                "solve", "examples/fizzbuzz", "--provider", "openai", "--model", "some-model", "--base-url",
                "\(server.baseURL.absoluteString)/v1", "--events=deltas", "--no-store",
            ], environment: ["OPENAI_API_KEY": "sk-never-shown"])
        #expect(run.code == 0, "stderr: \(run.stderr)")
        let events = try await EventsCommandTests().validLines(run)
        let types = events.compactMap { $0["type"] as? String }
        let deltas = events.filter { $0["type"] as? String == "generation.delta" }
        #expect(deltas.count > 10, "\(types)")
        #expect(deltas.compactMap { $0["text"] as? String }.joined() == Self.right)
        #expect(deltas.allSatisfy { $0["iteration"] as? Int == 1 })
        let finished = try #require(types.firstIndex(of: "generation.finished"))
        #expect(types.lastIndex(of: "generation.delta").map { $0 < finished } == true)
        let plain = try await CLI.run(
            [
                "solve", "examples/fizzbuzz", "--provider", "openai", "--base-url",
                "\(server.baseURL.absoluteString)/v1", "--events", "--no-store",
            ], environment: ["OPENAI_API_KEY": "sk-never-shown"])
        #expect(!plain.stdout.contains("generation.delta") && plain.stdout.contains("generation.finished"))
    }

    @Test func theAPIKeyNeverReachesTheGeneratedCode() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("task.md", "Write leak() in solution.py.")
        try dir.write(
            "tests/test_leak.py",
            "import os\nfrom solution import leak\n\ndef test_no_key():\n    assert leak() == 'none', leak()\n")
        let server = try server(
            [
                "```python\nimport os\n\ndef leak():\n    found = [k for k in os.environ if 'KEY' in k or 'OPENAI' in k]\n    return ','.join(found) or 'none'\n```\n"
            ])
        let run = try await CLI.run(
            [
                "solve", dir.url.path, "--base-url", "\(server.baseURL.absoluteString)/v1", "--json",
                "--max-iterations", "1",
            ],
            environment: ["OPENAI_API_KEY": "sk-secret", "ANTHROPIC_API_KEY": "", "AUTOCODER_PROVIDER": "openai"])
        #expect(run.code == 0, "stdout: \(run.stdout) stderr: \(run.stderr)")
    }

    @Test func withoutAProviderTheKeyInTheEnvironmentChoosesIt() async throws {
        let server = try server([Self.right])
        let run = try await CLI.run(
            ["solve", "examples/fizzbuzz", "--json"],
            environment: [
                "OPENAI_API_KEY": "sk-1", "OPENAI_BASE_URL": "\(server.baseURL.absoluteString)/v1",
                "ANTHROPIC_API_KEY": "",
            ])
        #expect(run.code == 0, "stderr: \(run.stderr)")
        #expect(run.stderr.contains("Provider: openai (chosen automatically"))
        #expect(server.requests.count == 1)
    }

    @Test func anthropicThroughItsBaseURL() async throws {
        let reply = Self.right
        let server = try TestHTTPServer(always: .events(StreamText.anthropic([reply]), pieceSize: 17))
        let run = try await CLI.run(
            ["solve", "examples/fizzbuzz", "--provider", "anthropic", "--json"],
            environment: ["ANTHROPIC_API_KEY": "sk-ant", "ANTHROPIC_BASE_URL": server.baseURL.absoluteString])
        #expect(run.code == 0, "stderr: \(run.stderr)")
        let usage = try #require(try run.json()["usage"] as? [String: Any])
        #expect(usage["prompt_tokens"] as? Int == 21)
        #expect(server.requests.first?.headers["x-api-key"] == "sk-ant")
    }

    @Test func theFixPromptKeepsItsFeedbackWithinTheTokenBudget() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("task.md", "Write f() in solution.py.")
        var tests = "from solution import f\n\n"
        for number in 0..<40 {
            tests += "def test_case_\(number)():\n    assert f() == \(number), 'long message ' * 20\n\n"
        }
        try dir.write("tests/test_f.py", tests)
        let server = try server(["```python\ndef f():\n    return -1\n```\n"])
        let run = try await CLI.run(
            [
                "solve", dir.url.path, "--provider", "openai", "--base-url", "\(server.baseURL.absoluteString)/v1",
                "--max-iterations", "2", "--feedback-tokens", "300", "--json",
            ], environment: ["OPENAI_API_KEY": "k"])
        #expect(run.code == 1, "stderr: \(run.stderr)")
        let fix = try #require(server.requests.dropFirst().first?.json?["messages"] as? [[String: String]])
        let prompt = try #require(fix.last?["content"])
        let feedback = try #require(prompt.range(of: "failed on it:\n")).upperBound
        let feedbackText = String(prompt[feedback...])
        #expect(feedbackText.count < 300 * 4 + 400, "feedback: \(feedbackText.count) characters")
        #expect(feedbackText.contains("left out"))
        #expect(feedbackText.contains("test_case_39"), "every failing test is named")
        #expect(feedbackText.contains("40 failed"))
    }

    @Test func anUnreachableServerIsAProviderFailure() async throws {
        let run = try await CLI.run(
            ["solve", "examples/fizzbuzz", "--provider", "openai", "--base-url", "http://127.0.0.1:9/v1"],
            environment: ["OPENAI_API_KEY": "k"], timeout: .seconds(200))
        #expect(run.code == 3, "stderr: \(run.stderr)")
        #expect(run.stderr.contains("openai: no answer from http://127.0.0.1:9/v1/chat/completions"))
        #expect(run.stderr.contains("after 4 attempts"))
    }

    @Test func theModelCommandSaysWhenNothingIsInstalled() async throws {
        let home = try TemporaryDirectory()
        let run = try await CLI.run(["model", "status"], environment: ["AUTOCODER_HOME": home.url.path])
        #expect(run.code == 1)
        #expect(run.stdout.contains("installed: no (run `autocoder model install`)"))
        let json = try await CLI.run(["model", "status", "--json"], environment: ["AUTOCODER_HOME": home.url.path])
        #expect(try json.json()["installed"] as? Bool == false)
    }
}
