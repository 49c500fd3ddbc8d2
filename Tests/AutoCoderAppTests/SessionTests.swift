import AutoCoder
import AutoCoderApp
import AutoCoderBench
import AutoCoderExecution
import AutoCoderStore
import AutoCoderTestSupport
import Foundation
import Synchronization
import Testing

/// The application layer in-process: the same session code the CLI's `solve`, `replay` and `bench` call, with
/// real pytest runs, a real SQLite store and a script of replies.
@Suite struct SessionTests {
    static let tests = "from solution import add\n\ndef test_add():\n    assert add(2, 3) == 5\n"

    /// A task directory and a script whose first reply is wrong and second right.
    func fixture() throws -> (TemporaryDirectory, RunConfiguration) {
        let directory = try TemporaryDirectory()
        try directory.write("task/task.md", "Write add(a, b).")
        try directory.write("task/tests/test_add.py", Self.tests)
        let script = try directory.write(
            "script.json",
            #"["```python\ndef add(a, b):\n    return a - b\n```", "```python\ndef add(a, b):\n    return a + b\n```"]"#
        )
        let configuration = RunConfiguration(
            task: TaskSource(directory: directory.url.appendingPathComponent("task").path),
            generator: GeneratorConfiguration(script: script.path),
            store: directory.url.appendingPathComponent("runs.sqlite").path)
        return (directory, configuration)
    }

    @Test func solveRecordsEachEventAndReplayRepeatsTheRun() async throws {
        let (directory, configuration) = try fixture()
        _ = directory
        let run = try await Session(configuration).solve()
        let seen = Mutex<[CodingEvent]>([])
        var streamed: [CodingEvent] = []
        for await event in run.events() {
            streamed.append(event)
            seen.withLock { $0.append(event) }
        }
        guard case .finished(let outcome) = streamed.last else {
            Issue.record("the last event is not the outcome: \(streamed)")
            return
        }
        #expect(outcome.solved && outcome.iterations == 2 && outcome.isRecorded)
        let store = try RunStore(path: try #require(configuration.store))
        let recorded = try store.run(run.runID)
        #expect(recorded.summary.solved == true && recorded.calls.count == 2 && recorded.settings.provider == "script")

        let (replay, original) = try await Session(configuration).replay(String(run.runID.prefix(12)))
        #expect(original.summary.id == run.runID)
        let again = await replay.outcome()
        #expect(again.solved && again.iterations == 2)
        #expect(ReplayComparison.departures(recorded: original, replay: again).isEmpty)
        #expect(try store.run(replay.runID).summary.replayOf == run.runID)
    }

    @Test func badInputIsFoundBeforeAnyModelIsAsked() async throws {
        let (directory, configuration) = try fixture()
        var missing = configuration
        missing.task = TaskSource(directory: directory.url.appendingPathComponent("nowhere").path)
        await #expect(throws: SessionError.self) { try await Session(missing).solve() }
        var unknown = configuration
        unknown.generator = GeneratorConfiguration(provider: "nope")
        await #expect(throws: SessionError.badInput("unknown provider 'nope'; known providers: \(Providers.names).")) {
            try await Session(unknown).solve()
        }
        var limits = configuration
        limits.limits.timeoutSeconds = -1
        await #expect(throws: SessionError.self) { try await Session(limits).solve() }
        // A suite pytest cannot collect is the task's fault: no model is called for it.
        try directory.write("task/tests/test_add.py", "def test_broken(:\n")
        do {
            _ = try await Session(configuration).solve()
            Issue.record("a broken suite was accepted")
        } catch {
            guard case .badInput(let message) = error else {
                Issue.record("not bad input: \(error)")
                return
            }
            #expect(message.contains("No model was called"))
        }
    }

    @Test func benchRunsEachProblemAsASessionRun() async throws {
        let directory = try TemporaryDirectory()
        for name in ["a", "b", "c"] {
            try directory.write("set/\(name)/task.md", "Write add(a, b).")
            try directory.write("set/\(name)/tests/test_add.py", Self.tests)
            try directory.write("set/\(name)/solution/solution.py", "def add(a, b):\n    return a + b\n")
        }
        let store = directory.url.appendingPathComponent("runs.sqlite").path
        let session = Session(RunConfiguration(store: store))
        let started = Mutex(0)
        let reported = Mutex(0)
        let outcome = try await session.bench(
            BenchConfiguration(
                dataset: directory.url.appendingPathComponent("set").path, oracle: .canonical, jobs: 2, record: true),
            onStart: { count in started.withLock { $0 = count } }, onResult: { _ in reported.withLock { $0 += 1 } })
        #expect(started.withLock { $0 } == 3 && reported.withLock { $0 } == 3)
        #expect(outcome.summary.solved == 3 && outcome.source == "the canonical oracle")
        let runs = try RunStore(path: store).runs()
        #expect(runs.count == 3 && runs.allSatisfy { $0.solved == true && $0.provider == "oracle-canonical" })
    }

    @Test func theConfigurationIsADocument() throws {
        let json = """
            {"task": {"directory": "t", "tests": [], "env": {"A": "1"}, "holdout": []},
             "limits": {"timeout_seconds": 5, "sandbox": false, "warm_worker": true, "integrity": "warn"},
             "loop": {"max_iterations": 2, "revert_on_regression": true, "rerun_failures": false},
             "generator": {"provider": "script", "script": "s.json"}, "store": null}
            """
        let configuration = try JSONDocument.decoder().decode(RunConfiguration.self, from: json)
        #expect(configuration.task.directory == "t" && configuration.task.environment == ["A": "1"])
        #expect(configuration.limits.timeoutSeconds == 5 && !configuration.limits.sandbox)
        #expect(configuration.limits.integrity == .warn && configuration.loop.maxIterations == 2)
        #expect(!configuration.loop.rerunFailures && configuration.store == nil)
        let again = try JSONDocument.decoder().decode(
            RunConfiguration.self, from: JSONDocument.encoder().encode(configuration))
        #expect(again == configuration)
    }
}

/// The `Session` example of docs/library.md, run for real on the repository's example task.
@Suite struct SessionLibraryExampleTests {
    @Test func theExampleSolvesFizzBuzzFromItsScript() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
            .standardizedFileURL
        let example = root.appendingPathComponent("examples/fizzbuzz")
        let configuration = RunConfiguration(
            task: TaskSource(directory: example.path), limits: Limits(timeoutSeconds: 10),
            generator: GeneratorConfiguration(script: example.appendingPathComponent("replies.json").path),
            store: nil)
        let run = try await Session(configuration).solve()
        var tested: [Int] = []
        var last: RunOutcome?
        for await event in run.events() {
            if case .tested(_, let iteration) = event { tested.append(iteration) }
            if case .finished(let outcome) = event { last = outcome }
        }
        let outcome = try #require(last)
        #expect(outcome.stopReason == .testsPassed && !outcome.isRecorded)
        #expect(tested == Array(1...outcome.iterations))
    }
}
