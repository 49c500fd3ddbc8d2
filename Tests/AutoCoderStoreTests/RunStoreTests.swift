import AutoCoder
import AutoCoderExecution
import AutoCoderStore
import AutoCoderTestSupport
import Foundation
import Testing

@Suite struct RunStoreTests {
    @Test func aRecordedRunReadsBackWhole() async throws {
        let directory = try TemporaryDirectory()
        let store = try RunStore(path: temporaryStorePath(directory))
        let outcome = try await recordRun(in: store)
        #expect(outcome.solved)

        let runs = try store.runs()
        #expect(runs.map(\.id) == [outcome.runID])
        let summary = try #require(runs.first)
        #expect(summary.status == .finished)
        #expect(summary.solved == true)
        #expect(summary.stopReason == .testsPassed)
        #expect(summary.iterations == 2)
        #expect(summary.taskTitle == "Write a")
        #expect(summary.provider == "script")

        let stored = try store.run(String(outcome.runID.prefix(6)))
        #expect(stored.task == storeTask)
        #expect(stored.settings.maxIterations == 5)
        #expect(stored.calls.map(\.type) == [.generate, .fix])
        #expect(stored.calls[0].attempt.reply == "wrong")
        #expect(stored.calls[1].feedback?.contains("FAILED test_b") == true)
        #expect(stored.steps.map(\.files) == outcome.steps.map(\.files))
        #expect(stored.steps.map(\.testResult) == outcome.steps.map(\.testResult))
        #expect(stored.steps[0].testResult?.tests[1].details == "trace")
        #expect(try store.isConsistent())
    }

    @Test func idsResolveByUniquePrefixOnly() async throws {
        let directory = try TemporaryDirectory()
        let store = try RunStore(path: temporaryStorePath(directory))
        try await recordRun(in: store, runID: "abcd1111-0000")
        try await recordRun(in: store, runID: "abcd2222-0000")
        #expect(try store.resolve("abcd1") == "abcd1111-0000")
        #expect(try store.resolve("ABCD2222") == "abcd2222-0000")
        #expect(throws: RunStoreError.self) { try store.resolve("abcd") }
        #expect(throws: RunStoreError.self) { try store.resolve("abc") }
        #expect(throws: RunStoreError.self) { try store.resolve("ffff") }
    }

    @Test func deletingRemovesEverythingOfTheRun() async throws {
        let directory = try TemporaryDirectory()
        let store = try RunStore(path: temporaryStorePath(directory))
        let kept = try await recordRun(in: store)
        let gone = try await recordRun(in: store)
        #expect(try store.delete(gone.runID) == gone.runID)
        #expect(try store.runs().map(\.id) == [kept.runID])
        #expect(throws: RunStoreError.self) { try store.run(gone.runID) }
        #expect(try store.run(kept.runID).steps.count == 2)
        #expect(try store.isConsistent())
    }

    @Test func severalStoresOnOneFileLoseNoRows() async throws {
        let directory = try TemporaryDirectory()
        let path = temporaryStorePath(directory)
        // Separate stores have separate connections, as separate processes would.
        let stores = try (0..<4).map { _ in try RunStore(path: path) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for store in stores {
                group.addTask {
                    for _ in 0..<10 { try await recordRun(in: store) }
                }
            }
            try await group.waitForAll()
        }
        let check = try RunStore(path: path)
        let runs = try check.runs(limit: 1000)
        #expect(runs.count == 40)
        #expect(runs.allSatisfy { $0.status == .finished && $0.iterations == 2 })
        for run in runs.prefix(5) { #expect(try check.run(run.id).steps.count == 2) }
    }

    @Test func manyOpensOfANewStoreAtOnceAllSucceed() async throws {
        let directory = try TemporaryDirectory()
        let path = temporaryStorePath(directory)
        try await withThrowingTaskGroup(of: Void.self) { group in
            // A race, so caught only some of the time without the lock: many opens give it many chances.
            for _ in 0..<16 {
                group.addTask { _ = try RunStore(path: path) }
            }
            try await group.waitForAll()
        }
        #expect(try RunStore(path: path).isConsistent())
    }

    @Test func aRunWhoseProcessDiedIsInterruptedOnTheNextOpen() async throws {
        let directory = try TemporaryDirectory()
        let path = temporaryStorePath(directory)
        let store = try RunStore(path: path)
        try store.begin(runID: "live-run", task: storeTask, settings: RunSettings(provider: "script", maxIterations: 1))
        // This process is alive, so reopening leaves the run alone.
        #expect(try RunStore(path: path).run("live-run").summary.status == .running)
        try await DeadOwner.assign(runID: "live-run", path: path)
        #expect(try RunStore(path: path).run("live-run").summary.status == .interrupted)
    }

    @Test func anEmptyFileBecomesAStore() throws {
        let directory = try TemporaryDirectory()
        let path = temporaryStorePath(directory)
        FileManager.default.createFile(atPath: path, contents: Data())
        let store = try RunStore(path: path)
        #expect(try store.runs().isEmpty)
        _ = try RunStore(path: path)  // migrating twice is harmless
    }

    @Test func aFileThatIsNotADatabaseIsRefusedAndLeftAlone() throws {
        let directory = try TemporaryDirectory()
        let path = temporaryStorePath(directory)
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try garbage.write(to: URL(fileURLWithPath: path))
        do {
            _ = try RunStore(path: path)
            Issue.record("a garbage file was accepted")
        } catch let error as RunStoreError {
            #expect(error.kind == .unreadable)
            #expect(error.message.contains(path))
            #expect(error.message.contains("Move it aside"))
        }
        #expect(FileManager.default.contents(atPath: path) == garbage)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func aForeignDatabaseIsRefusedAndLeftAlone() throws {
        let directory = try TemporaryDirectory()
        let path = temporaryStorePath(directory)
        try ForeignDatabase.create(at: path)
        let before = FileManager.default.contents(atPath: path)
        do {
            _ = try RunStore(path: path)
            Issue.record("a foreign database was accepted")
        } catch let error as RunStoreError {
            #expect(error.kind == .foreign)
            #expect(error.message.contains("notes"))
        }
        #expect(FileManager.default.contents(atPath: path) == before)
    }
}

/// A tampered attempt keeps its outcome and findings in the store, and an honest "tests inconsistent" answer keeps
/// its stop reason and reason, so both can be studied with `runs show`.
@Suite struct IntegrityInTheStoreTests {
    struct ForgeryExecutor: CodeExecutor {
        func test(_ files: [CodeFile], for task: CodingTask) async throws -> TestResult {
            let finding = IntegrityFinding(
                rule: "patched-test-machinery", file: "solution.py", line: 2,
                message: "_pytest.python.Function.runtest was replaced while the tests were collected", proven: true)
            let report = IntegrityReport(mode: .strict, findings: [finding])
            return TestResult(
                outcome: .tampered, tests: [TestCase(name: "test_a", suite: "test_x", outcome: .passed)],
                message: report.feedback, integrity: report)
        }
    }

    @Test func tamperedStepsAndTheHonestWayOutReadBack() async throws {
        let directory = try TemporaryDirectory()
        let store = try RunStore(path: temporaryStorePath(directory))
        let runID = RunOutcome.newID()
        try store.begin(runID: runID, task: storeTask, settings: RunSettings(provider: "script", maxIterations: 5))
        let replies = ["```python\nimport _pytest\n```", "TESTS INCONSISTENT: test_a expects the impossible"]
        let coder = AutonomousCoder(
            generator: ScriptedGenerator(replies: replies, languages: Toolchains.languages), executor: ForgeryExecutor()
        )
        let events = EventLog()
        let outcome = await coder.solve(storeTask, runID: runID) { events.append($0) }
        for event in events.all { try store.record(event, runID: runID) }
        #expect(outcome.stopReason == .testsInconsistent)

        let stored = try store.run(runID)
        #expect(stored.steps[0].testResult?.outcome == .tampered)
        #expect(stored.steps[0].testResult?.integrity == outcome.steps[0].testResult?.integrity)
        #expect(stored.steps[0].testResult?.integrity?.findings.first?.location == "solution.py:2")
        #expect(stored.calls[1].attempt.testsInconsistent == "test_a expects the impossible")
        #expect(try store.runs().first?.stopReason == .testsInconsistent)
    }
}
