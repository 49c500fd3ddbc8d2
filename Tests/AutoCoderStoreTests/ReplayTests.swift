import AutoCoder
import AutoCoderExecution
import AutoCoderStore
import AutoCoderTestSupport
import Foundation
import Testing

@Suite struct ReplayTests {
    @Test func replayingAnUnchangedRunGivesTheSameOutcome() async throws {
        let directory = try TemporaryDirectory()
        let store = try RunStore(path: temporaryStorePath(directory))
        let original = try await recordRun(in: store)
        let recorded = try store.run(original.runID)
        let replay = await AutonomousCoder(
            generator: ReplayGenerator(calls: recorded.calls, languages: Toolchains.languages), executor: StubExecutor()
        )
        .solve(recorded.task)
        #expect(replay.steps.map(\.files) == original.steps.map(\.files))
        #expect(replay.stopReason == original.stopReason)
        #expect(ReplayComparison.departures(recorded: recorded, replay: replay).isEmpty)
    }

    @Test func departuresAreNamed() async throws {
        let directory = try TemporaryDirectory()
        let store = try RunStore(path: temporaryStorePath(directory))
        let original = try await recordRun(in: store)
        let recorded = try store.run(original.runID)
        // An executor that now fails everything: test_b fails at iteration 2, and the recording runs out.
        struct FailingExecutor: CodeExecutor {
            func test(_ files: [CodeFile], for task: CodingTask) async throws -> TestResult {
                TestResult(
                    outcome: .failed,
                    tests: [
                        TestCase(name: "test_a", suite: "test_x", outcome: .passed),
                        TestCase(name: "test_b", suite: "test_x", outcome: .failed),
                    ])
            }
        }
        let replay = await AutonomousCoder(
            generator: ReplayGenerator(calls: recorded.calls, languages: Toolchains.languages),
            executor: FailingExecutor()
        )
        .solve(recorded.task)
        #expect(replay.stopReason == .error)
        #expect(replay.error?.contains("recording has 2 generator answers") == true)
        let departures = ReplayComparison.departures(recorded: recorded, replay: replay)
        #expect(departures.contains { $0.kind == .testOutcome && $0.iteration == 2 && $0.recorded == "passed" })
        #expect(departures.contains { $0.kind == .test && $0.test == "test_x::test_b" && $0.replayed == "failed" })
        #expect(departures.contains { $0.kind == .stop && $0.recorded.hasPrefix("tests_passed") })
    }

    @Test func recordedRepliesAreParsedAgainAndFilesWithoutRepliesReturned() async throws {
        let replayed = ReplayGenerator(
            calls: [
                GeneratorCall(
                    type: .generate, iteration: 1, feedback: nil,
                    attempt: Attempt(files: [], reply: "```python\nx = 1", problem: "cut off"), latencyMs: 1),
                GeneratorCall(
                    type: .fix, iteration: 2, feedback: "f",
                    attempt: Attempt(files: [CodeFile(path: "solution.py", content: "y = 2\n")]), latencyMs: 1),
            ], languages: Toolchains.languages)
        let first = try await replayed.generate(storeTask)
        #expect(first.files.isEmpty)
        #expect(first.problem?.contains("never closed") == true)
        let second = try await replayed.fix(
            storeTask, previous: first, feedback: Feedback(testResult: TestResult(outcome: .error)))
        #expect(second.files == [CodeFile(path: "solution.py", content: "y = 2\n")])
    }

    @Test func exportsAsJSONAndJSONLines() async throws {
        let directory = try TemporaryDirectory()
        let store = try RunStore(path: temporaryStorePath(directory))
        let outcome = try await recordRun(in: store)
        let run = try store.run(outcome.runID)
        let document = try JSONSerialization.jsonObject(with: Data(try RunExport.text(run, format: .json).utf8))
        let object = try #require(document as? [String: Any])
        #expect(Set(object.keys) == ["run", "task", "settings", "steps", "generator_calls"])
        let lines = try RunExport.text(run, format: .jsonl).split(separator: "\n")
        let kinds = try lines.map { line in
            (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["kind"] as? String
        }
        #expect(kinds == ["run", "generator_call", "generator_call", "step", "step"])
    }
}
