import AutoCoder
import AutoCoderExecution
import AutoCoderLLM
import AutoCoderTestSupport
import Foundation
import Testing

@Suite struct ModelGeneratorTests {
    static let task = CodingTask(
        description: "Write greet(name).",
        tests: [
            CodeFile(
                path: "tests/test_greet.py",
                content: "from solution import greet\n\ndef test_greet():\n    assert greet('x') == 'héllo x 🚀'\n")
        ],
        starterFiles: [CodeFile(path: "solution.py", content: "def greet(name):\n    ...\n")])

    func generator(_ server: TestHTTPServer) -> ModelGenerator {
        ModelGenerator(
            provider: OpenAIChatProvider(
                model: "gpt-test", baseURL: server.baseURL.appendingPathComponent("v1"), apiKey: "k",
                retry: .none), languages: Toolchains.languages)
    }

    @Test func theFirstPromptHasTheTaskTheTestsTheStarterAndTheReplyFormat() async throws {
        let server = try TestHTTPServer(always: .events(StreamText.openAI(StreamText.solutionPieces)))
        let attempt = try await generator(server).generate(Self.task)
        #expect(
            attempt.files == [
                CodeFile(path: "solution.py", content: "def greet(name):\n    return f\"héllo {name} 🚀\"\n")
            ])
        #expect(attempt.usage == Usage(promptTokens: 12, completionTokens: 34))
        #expect(attempt.reply == StreamText.solutionReply)

        let messages = try #require(server.requests.first?.json?["messages"] as? [[String: String]])
        #expect(messages.count == 2)
        #expect(messages[0]["role"] == "system")
        let user = try #require(messages[1]["content"])
        #expect(user.hasPrefix("Write greet(name)."))
        #expect(user.contains("assert greet('x') == 'héllo x 🚀'"), "the test code is shown")
        #expect(user.contains("correct and read-only"))
        #expect(user.contains("def greet(name):\n    ...\n```"), "the starter code is shown")
        #expect(user.contains("`solution.py`"))
    }

    @Test func theFixPromptCarriesThePreviousCodeAndTheFailuresButNotTheTestCode() async throws {
        let server = try TestHTTPServer(
            always: .events(StreamText.openAI(["```python\ndef greet(name):\n    return 1\n```"])))
        let previous = Attempt(files: [CodeFile(path: "solution.py", content: "def greet(name):\n    return None\n")])
        let result = TestResult(
            outcome: .failed,
            tests: [
                TestCase(name: "test_greet", outcome: .failed, message: "AssertionError: assert None == 'héllo x 🚀'")
            ])
        _ = try await generator(server).fix(Self.task, previous: previous, feedback: Feedback(testResult: result))
        let messages = try #require(server.requests.first?.json?["messages"] as? [[String: String]])
        let user = try #require(messages.last?["content"])
        #expect(user.contains("def greet(name):\n    return None"))
        #expect(user.contains("test_greet"))
        #expect(user.contains("AssertionError: assert None == 'héllo x 🚀'"))
        #expect(!user.contains("from solution import greet"), "the fix prompt leaves the test code out")
    }

    @Test func candidatesDifferInSeedAndTemperature() async throws {
        let server = try TestHTTPServer(always: .events(StreamText.openAI(["```python\nx = 1\n```"])))
        let generator = generator(server)
        _ = try await generator.generate(Self.task, variant: 0)
        _ = try await generator.generate(Self.task, variant: 2)
        let bodies = server.requests.compactMap(\.json)
        #expect(bodies.count == 2)
        #expect(bodies[0]["seed"] as? Int != bodies[1]["seed"] as? Int)
        #expect((bodies[0]["temperature"] as? Double ?? 0) < (bodies[1]["temperature"] as? Double ?? 0))
    }

    @Test func aReplyCutOffAtTheTokenLimitIsAnIncompleteAttempt() async throws {
        let server = try TestHTTPServer(
            always: .events(StreamText.openAI(["```python\ndef greet(name):\n    return f\"hél"], finish: "length")))
        let attempt = try await generator(server).generate(Self.task)
        #expect(attempt.files.isEmpty)
        #expect(attempt.problem?.contains("cut off") == true)
    }

    @Test func aReplyThatEndsWithoutClosingItsFenceOnPurposeIsUsed() async throws {
        let server = try TestHTTPServer(
            always: .events(StreamText.openAI(["```python\ndef greet(name):\n    return name\n"], finish: "stop")))
        let attempt = try await generator(server).generate(Self.task)
        #expect(attempt.problem == nil)
        #expect(attempt.files.first?.content == "def greet(name):\n    return name\n")
    }

    @Test func aReplyThatWritesTheTestFileIsRejected() async throws {
        let reply =
            "```python tests/test_greet.py\ndef test_greet():\n    pass\n```\n```python solution.py\ndef greet(n): pass\n```"
        let server = try TestHTTPServer(always: .events(StreamText.openAI([reply])))
        let attempt = try await generator(server).generate(Self.task)
        let problem = try #require(AttemptCheck.problem(with: attempt, for: Self.task))
        #expect(problem.contains("tried to write the test file 'tests/test_greet.py'"))
    }
}

/// Each request carries the reply cap the loop's budgets leave, never more than `--max-reply-tokens`.
@Suite struct ModelGeneratorBudgetTests {
    /// A model behind `server`, with a reply cap of 150 tokens and a temperature of 0.2.
    static func generator(_ server: TestHTTPServer) -> ModelGenerator {
        ModelGenerator(
            provider: OpenAIChatProvider(
                model: "gpt-test", baseURL: server.baseURL.appendingPathComponent("v1"), apiKey: "k", retry: .none),
            languages: Toolchains.languages, maxReplyTokens: 150, temperature: 0.2)
    }

    @Test func theRequestCarriesTheSmallerOfTheCapAndTheBudget() async throws {
        let server = try TestHTTPServer(always: .events(StreamText.openAI(StreamText.solutionPieces)))
        let generator = Self.generator(server)
        _ = try await generator.generate(ModelGeneratorTests.task)
        for cap in [60, 900] {
            _ = try await generator.respond(
                to: GenerationRequest(type: .generate, task: ModelGeneratorTests.task, replyTokens: cap))
        }
        let sent = server.requests.map { $0.json?["max_tokens"] as? Int }
        #expect(sent == [150, 60, 150])
    }

    @Test func aFixsSeedAndTemperatureFollowItsIteration() async throws {
        let server = try TestHTTPServer(always: .events(StreamText.openAI(StreamText.solutionPieces)))
        let generator = Self.generator(server)
        let feedback = Feedback(testResult: TestResult(outcome: .failed))
        for iteration in [2, 5] {
            _ = try await generator.respond(
                to: .fix(
                    ModelGeneratorTests.task, previous: Attempt(files: []), feedback: feedback, iteration: iteration))
        }
        let sent = server.requests.map { ($0.json?["seed"] as? Int, $0.json?["temperature"] as? Double) }
        #expect(sent.map(\.0) == [2, 5])
        let temperatures = sent.compactMap(\.1)
        #expect(temperatures.count == 2 && abs(temperatures[0] - 0.35) < 1e-9 && abs(temperatures[1] - 0.8) < 1e-9)
    }
}
