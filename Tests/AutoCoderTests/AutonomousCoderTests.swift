import AutoCoder
import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

@Suite struct AutonomousCoderTests {
    @Test func succeedsOnTheFirstTry() async {
        let log = CallLog()
        let coder = AutonomousCoder(
            generate: { description, tests in
                log.record(["generate", description, tests])
                return "CORRECT"
            },
            fix: { _, _, _ in
                log.record(["fix"])
                return "never"
            },
            executor: FakeExecutor())
        let outcome = await coder.solve(description: "write add", testCode: "def test_add(): ...")
        #expect(outcome.success)
        #expect(outcome.solved)
        #expect(outcome.stopReason == .testsPassed)
        #expect(outcome.iterations == 1)
        #expect(log.all == [["generate", "write add", "def test_add(): ..."]])
        #expect(outcome.finalFiles == [CodeFile(path: "solution.py", content: "CORRECT")])
    }

    @Test func fixesAfterAFailure() async {
        let log = CallLog()
        let coder = AutonomousCoder(
            generate: { _, _ in "wrong" },
            fix: { description, code, errorOutput in
                log.record([description, code, errorOutput])
                return "CORRECT"
            },
            executor: FakeExecutor())
        let outcome = await coder.solve(description: "write add", testCode: "tests")
        #expect(outcome.solved)
        #expect(outcome.iterations == 2)
        let call = try? #require(log.all.first)
        #expect(log.all.count == 1)
        #expect(call?[0] == "write add")
        #expect(call?[1] == "wrong")
        #expect(call?[2].contains("test_add") == true)
        #expect(call?[2].contains("assert 3 == 4") == true)
        #expect(call?[2].contains("test_ok") == false)  // passing tests are not fed back
    }

    @Test func stopsAtTheIterationLimit() async {
        let log = CallLog()
        let executor = FakeExecutor()
        var coder = AutonomousCoder(
            generate: { _, _ in "wrong" },
            fix: { _, code, _ in
                log.record([code])
                return "still wrong \(log.all.count)"
            },
            executor: executor, maxIterations: 3)
        coder.policy.rerunFailures = false
        let outcome = await coder.solve(description: "d", testCode: "t")
        #expect(!outcome.solved)
        #expect(outcome.stopReason == .maxIterations)
        #expect(outcome.iterations == 3)
        #expect(log.all.count == 2)
        #expect(executor.runs.count == 3)
        #expect(outcome.finalFiles.first?.content == "still wrong 2")  // the best: tied, so the later one
        #expect(outcome.testResult?.outcome == .failed)
    }

    @Test func defaultLimitIsFive() async {
        let fixes = CallLog()
        var coder = AutonomousCoder(
            generate: { _, _ in "x" },
            fix: { _, _, _ in
                fixes.record([])
                return "x\(fixes.all.count)"
            }, executor: FakeExecutor())
        coder.policy.stallLimit = 10  // the same failure every time: only the iteration limit is under test
        #expect(coder.maxIterations == 5)
        let outcome = await coder.solve(description: "d", testCode: "t")
        #expect(outcome.iterations == 5)
    }

    @Test func theTaskLimitWins() async {
        var task = sampleTask
        task.maxIterations = 2
        let coder = AutonomousCoder(
            generator: ListGenerator([attempt("x"), attempt("y"), attempt("z")]), executor: FakeExecutor(),
            maxIterations: 9)
        let outcome = await coder.solve(task)
        #expect(outcome.iterations == 2)
    }

    @Test func everyStepIsRecordedWithItsTestResult() async {
        let generator = ListGenerator([attempt("a"), attempt("b"), attempt("CORRECT")])
        let outcome = await AutonomousCoder(generator: generator, executor: FakeExecutor()).solve(sampleTask)
        #expect(outcome.steps.map(\.type) == [.generate, .fix, .fix])
        #expect(outcome.steps.map(\.iteration) == [1, 2, 3])
        #expect(outcome.steps.map { $0.testResult?.outcome } == [.failed, .failed, .passed])
        #expect(outcome.steps.map { $0.files.first?.content } == ["a", "b", "CORRECT"])
        #expect(generator.previous.map { $0.files.first?.content } == ["a", "b"])
        #expect(outcome.testResult?.passed == true)
    }

    @Test func fixFilesAreLaidOverThePreviousAttempt() async {
        let first = Attempt(files: [
            CodeFile(path: "solution.py", content: "wrong"), CodeFile(path: "helper.py", content: "HELPER"),
        ])
        let generator = ListGenerator([first, attempt("CORRECT")])
        let outcome = await AutonomousCoder(generator: generator, executor: FakeExecutor()).solve(sampleTask)
        #expect(outcome.solved)
        #expect(outcome.finalFiles.map(\.path) == ["solution.py", "helper.py"])
        #expect(outcome.finalFiles.map(\.content) == ["CORRECT", "HELPER"])
    }

    @Test func aGeneratorFailureStopsWithAnError() async {
        let outcome = await AutonomousCoder(generator: FailingGenerator(), executor: FakeExecutor()).solve(sampleTask)
        #expect(outcome.stopReason == .error)
        #expect(outcome.error?.contains("the model is down") == true)
        #expect(outcome.iterations == 0)
    }

    @Test func anInfrastructureErrorStopsWithAnError() async {
        let executor = FakeExecutor(outcomeForWrongCode: .infrastructureError)
        let outcome = await AutonomousCoder(generator: ListGenerator([attempt("x")]), executor: executor).solve(
            sampleTask)
        #expect(outcome.stopReason == .error)
        #expect(outcome.error?.contains("no interpreter") == true)
        #expect(outcome.iterations == 1)
    }

    @Test func anAttemptWritingATestIsRejectedWithoutRunning() async {
        let forged = Attempt(files: [CodeFile(path: "test_solution.py", content: "def test_add(): pass")])
        let generator = ListGenerator([forged, attempt("CORRECT")])
        let executor = FakeExecutor()
        let outcome = await AutonomousCoder(generator: generator, executor: executor).solve(sampleTask)
        #expect(outcome.solved)
        #expect(executor.runs.count == 1)
        #expect(outcome.steps[0].testResult?.outcome == .error)
        #expect(generator.feedback.first?.text.contains("read-only") == true)
    }

    @Test func anUnparsableReplyIsFedBack() async {
        let cut = Attempt(files: [], reply: "```python\ndef add(", problem: "cut off")
        let generator = ListGenerator([cut, attempt("CORRECT")])
        let outcome = await AutonomousCoder(generator: generator, executor: FakeExecutor()).solve(sampleTask)
        #expect(outcome.solved)
        #expect(outcome.steps[0].testResult?.message == "cut off")
        #expect(outcome.steps[0].reply == "```python\ndef add(")
    }

    @Test func generatorCallsCarryTheFeedbackAndTheRawAttempt() async {
        let first = Attempt(files: [
            CodeFile(path: "solution.py", content: "wrong"), CodeFile(path: "helper.py", content: "HELPER"),
        ])
        let coder = AutonomousCoder(generator: ListGenerator([first, attempt("CORRECT")]), executor: FakeExecutor())
        let calls = Calls()
        let outcome = await coder.solve(sampleTask, runID: "fixed-id") { event in
            if case .generated(let call) = event { calls.append(call) }
        }
        #expect(outcome.runID == "fixed-id")
        #expect(calls.all.map(\.type) == [.generate, .fix])
        #expect(calls.all[0].feedback == nil)
        #expect(calls.all[1].feedback?.contains("FAILED test_add") == true)
        #expect(calls.all[1].attempt.files.map(\.path) == ["solution.py"])  // before the overlay
        #expect(outcome.steps[1].files.map(\.path) == ["solution.py", "helper.py"])  // after it
    }

    @Test func usageIsSummed() async {
        let generator = ListGenerator([
            attempt("a", usage: Usage(promptTokens: 10, completionTokens: 5, costUSD: 0.01)),
            attempt("CORRECT", usage: Usage(promptTokens: 20, completionTokens: 7, costUSD: 0.02)),
        ])
        let outcome = await AutonomousCoder(generator: generator, executor: FakeExecutor()).solve(sampleTask)
        #expect(outcome.usage.promptTokens == 30)
        #expect(outcome.usage.completionTokens == 12)
        #expect(abs((outcome.usage.costUSD ?? 0) - 0.03) < 1e-9)
    }

    @Test func anIterationLimitBelowOneIsAnError() async {
        let outcome = await AutonomousCoder(
            generator: ListGenerator([attempt("x")]), executor: FakeExecutor(), maxIterations: 0
        )
        .solve(sampleTask)
        #expect(outcome.stopReason == .error)
        #expect(outcome.iterations == 0)
    }

    @Test func cancellingStopsTheRun() async {
        let coder = AutonomousCoder(generator: HangingGenerator(), executor: FakeExecutor())
        let run = Task { await coder.solve(sampleTask) }
        run.cancel()
        let outcome = await run.value
        #expect(outcome.stopReason == .cancelled)
        #expect(!outcome.solved)
    }

    @Test func eventsArriveInOrderAndEndWithTheOutcome() async {
        let coder = AutonomousCoder(
            generator: ListGenerator([attempt("a"), attempt("CORRECT")]), executor: FakeExecutor())
        var kinds: [String] = []
        for await event in coder.events(for: sampleTask) {
            switch event {
            case .started(let type, let iteration): kinds.append("\(type.rawValue)\(iteration)")
            case .tested(let result, let iteration): kinds.append("tested\(iteration):\(result.outcome.rawValue)")
            case .generated(let call): kinds.append("generated\(call.iteration):\(call.attempt.files[0].content)")
            case .stepFinished(let step): kinds.append("step\(step.iteration)")
            case .finished(let outcome): kinds.append("finished:\(outcome.stopReason.rawValue)")
            }
        }
        #expect(
            kinds == [
                "generate1", "generated1:a", "test1", "tested1:failed", "step1",
                "fix2", "generated2:CORRECT", "test2", "tested2:passed", "step2", "finished:tests_passed",
            ])
    }
}

@Suite struct HonestWayOutTests {
    /// The loop stops at a "tests inconsistent" answer with its reason, and does not count it as solved.
    @Test func aTestsInconsistentAnswerStopsTheRun() async {
        let parser = ReplyParser(solutionPath: "solution.py", rules: PythonToolchain())
        let generator = ListGenerator([
            Attempt(files: [CodeFile(path: "solution.py", content: "WRONG")]),
            parser.attempt(from: "TESTS INCONSISTENT: add(2, 3) cannot be 6"),
            Attempt(files: [CodeFile(path: "solution.py", content: "CORRECT")]),
        ])
        let outcome = await AutonomousCoder(generator: generator, executor: FakeExecutor(), maxIterations: 5)
            .solve(sampleTask)
        #expect(!outcome.solved)
        #expect(outcome.stopReason == .testsInconsistent)
        #expect(outcome.stopDetail == "add(2, 3) cannot be 6")
        #expect(outcome.iterations == 2)
    }

    /// A tampered run is never solved, and never kept over an honest attempt that passed fewer tests.
    @Test func aTamperedRunIsNeverSolved() async throws {
        let executor = ForgeryAwareExecutor()
        let generator = ListGenerator([
            Attempt(files: [CodeFile(path: "solution.py", content: "HONEST")]),
            Attempt(files: [CodeFile(path: "solution.py", content: "FORGED")]),
        ])
        let outcome = await AutonomousCoder(generator: generator, executor: executor, maxIterations: 2)
            .solve(sampleTask)
        #expect(!outcome.solved)
        #expect(outcome.steps[1].testResult?.outcome == .tampered)
        // The honest attempt (one test passing) is kept over the forged one (its "passes" count for nothing).
        #expect(outcome.bestIteration == 1)
        #expect(outcome.steps[1].testResult?.numVerifiedPassed == 0)
        let feedback = FeedbackFormatter().render(try #require(outcome.steps[1].testResult))
        #expect(feedback.contains("leave the test machinery"))
        #expect(feedback.contains("tampered — The test machinery was modified at solution.py:2"))
    }
}

/// Says `tampered` (with every test "passing") for code containing FORGED, else one test passing of two.
struct ForgeryAwareExecutor: CodeExecutor {
    func test(_ files: [CodeFile], for task: CodingTask) async throws -> TestResult {
        if files.contains(where: { $0.content.contains("FORGED") }) {
            return TestResult(
                outcome: .tampered,
                tests: [TestCase(name: "test_add", outcome: .passed), TestCase(name: "test_ok", outcome: .passed)],
                message: "The test machinery was modified at solution.py:2 (patched-test-machinery: …)")
        }
        return TestResult(
            outcome: .failed,
            tests: [TestCase(name: "test_add", outcome: .failed), TestCase(name: "test_ok", outcome: .passed)])
    }
}
