import AutoCoder
import Foundation
import Synchronization
import Testing

/// Passes the first N of four tests when the code says `passes=N`; held-out tests pass only for "GENERAL" code;
/// code saying "FLAKY" fails test_1 on every first run of that code and passes it on the second.
final class CountingExecutor: CodeExecutor {
    private let seen = Mutex<[String: Int]>([:])

    func test(_ files: [CodeFile], for task: CodingTask) async throws -> TestResult {
        let code = files.map(\.content).joined()
        if task.tests.contains(where: { $0.path == "test_hidden.py" }) {
            let general = code.contains("GENERAL")
            return TestResult(
                outcome: general ? .passed : .failed,
                tests: [TestCase(name: "test_hidden", outcome: general ? .passed : .failed)], exitCode: general ? 0 : 1)
        }
        var passes = Int(code.split(separator: "passes=").last.map { String($0.prefix(1)) } ?? "") ?? 0
        if code.contains("FLAKY") {
            let runs = seen.withLock { seen in
                seen[code, default: 0] += 1
                return seen[code]!
            }
            passes = runs == 1 ? 3 : 4
        }
        let tests = (1...4).map { index in
            TestCase(
                name: "test_\(index)", outcome: index <= passes ? .passed : .failed,
                message: index <= passes ? nil : "assert f(\(index)) == \(index)")
        }
        return TestResult(outcome: passes == 4 ? .passed : .failed, tests: tests, exitCode: passes == 4 ? 0 : 1)
    }
}

/// Answers from a list, and remembers what it was shown.
final class RecordingGenerator: CodeGenerator {
    private let state = Mutex<(index: Int, tasks: [CodingTask], previous: [Attempt], feedback: [String])>(
        (0, [], [], []))
    let replies: [String]

    init(_ replies: [String]) {
        self.replies = replies
    }

    var tasks: [CodingTask] { state.withLock { $0.tasks } }
    var previous: [Attempt] { state.withLock { $0.previous } }
    var feedback: [String] { state.withLock { $0.feedback } }

    func generate(_ task: CodingTask) async throws -> Attempt {
        answer(task, previous: nil, feedback: nil)
    }

    func fix(_ task: CodingTask, previous: Attempt, feedback: Feedback) async throws -> Attempt {
        answer(task, previous: previous, feedback: feedback.text)
    }

    private func answer(_ task: CodingTask, previous: Attempt?, feedback: String?) -> Attempt {
        state.withLock { state in
            state.tasks.append(task)
            if let previous { state.previous.append(previous) }
            if let feedback { state.feedback.append(feedback) }
            defer { state.index += 1 }
            return Attempt(files: [CodeFile(path: "solution.py", content: replies[min(state.index, replies.count - 1)])]
            )
        }
    }
}

@Suite struct LoopPolicyTests {
    func coder(
        _ generator: any CodeGenerator, maxIterations: Int = 5, policy: LoopPolicy = LoopPolicy()
    ) -> AutonomousCoder {
        AutonomousCoder(
            generator: generator, executor: CountingExecutor(), maxIterations: maxIterations, policy: policy)
    }

    @Test func theBestAttemptIsKeptWhenTheRunStopsUnsolved() async {
        let outcome = await coder(RecordingGenerator(["a passes=2", "b passes=3", "c passes=1"]), maxIterations: 3)
            .solve(sampleTask)
        #expect(outcome.stopReason == .maxIterations)
        #expect(outcome.bestIteration == 2)
        #expect(outcome.finalFiles.first?.content == "b passes=3")
        #expect(outcome.testResult?.numPassed == 3)
        #expect(outcome.stopDetail?.contains("kept iteration 2 (3 of 4 tests passing)") == true)
    }

    @Test func onATieTheLaterAttemptIsKept() async {
        let outcome = await coder(RecordingGenerator(["a passes=2", "b passes=2"]), maxIterations: 2).solve(sampleTask)
        #expect(outcome.bestIteration == 2)
        #expect(outcome.finalFiles.first?.content == "b passes=2")
    }

    @Test func aRegressionIsNamedAndTheNextFixStartsFromTheBest() async {
        let generator = RecordingGenerator(["a passes=3", "b passes=1", "c passes=4"])
        let outcome = await coder(generator).solve(sampleTask)
        #expect(outcome.solved)
        #expect(outcome.iterations == 3)
        let note = generator.feedback[1]
        #expect(note.contains("Iteration 2 broke tests that passed before: test_2, test_3."))
        #expect(note.contains("starts again from iteration 1's code"))
        #expect(generator.previous[1].files.first?.content == "a passes=3")  // reverted
    }

    @Test func withoutRevertTheNextFixStartsFromTheRegressedAttempt() async {
        let generator = RecordingGenerator(["a passes=3", "b passes=1", "c passes=4"])
        _ = await coder(generator, policy: LoopPolicy(revertOnRegression: false)).solve(sampleTask)
        #expect(generator.feedback[1].contains("Make them pass again."))
        #expect(generator.previous[1].files.first?.content == "b passes=1")
    }

    @Test func identicalCodeIsFeedbackAndStopsOnlyThroughTheStallLimit() async {
        let generator = RecordingGenerator(["a passes=1", "b passes=2", "a passes=1", "c passes=4"])
        let solved = await coder(generator).solve(sampleTask)
        #expect(solved.solved, "a repeated answer is told, not the end of the run")
        #expect(solved.iterations == 4)
        #expect(generator.feedback.last?.contains("This is the code of iteration 1 again") == true)

        let stuck = await coder(RecordingGenerator(["a passes=1"]), maxIterations: 9, policy: LoopPolicy(stallLimit: 3))
            .solve(sampleTask)
        #expect(stuck.stopReason == .noProgress)
        #expect(stuck.iterations == 4, "one tested attempt, then the same answer three times")
        #expect(stuck.stopDetail?.contains("came back 3 times in a row") == true)
    }

    @Test func aReplyWithoutCodeIsFeedbackCountedAsAnIteration() async {
        struct Silent: CodeGenerator {
            func generate(_ task: CodingTask) async throws -> Attempt { Attempt(files: [], reply: "I think so.") }
            func fix(_ task: CodingTask, previous: Attempt, feedback: Feedback) async throws -> Attempt {
                feedback.text.contains("no fenced code block for `solution.py`")
                    ? attempt("fixed passes=4") : Attempt(files: [], reply: "Still thinking.")
            }
        }
        let outcome = await coder(Silent()).solve(sampleTask)
        #expect(outcome.solved)
        #expect(outcome.iterations == 2)
        #expect(outcome.steps.first?.testResult?.message?.contains("```python block") == true)
    }

    @Test func theSameFailuresKTimesStopWithNoProgress() async {
        let replies = (1...9).map { "v\($0) passes=2" }
        let outcome = await coder(RecordingGenerator(replies), maxIterations: 9, policy: LoopPolicy(stallLimit: 3))
            .solve(sampleTask)
        #expect(outcome.stopReason == .noProgress)
        #expect(outcome.iterations == 3)
        #expect(outcome.stopDetail?.contains("came back 3 times in a row") == true)
    }

    @Test func aTokenBudgetIsNeverExceeded() async {
        // Each call is counted as its prompt estimate plus 100 reply tokens before it is made.
        let policy = LoopPolicy(stallLimit: 99, maxTokens: 320, maxReplyTokens: 100)
        let outcome = await coder(
            RecordingGenerator((1...9).map { "v\($0) passes=1" }), maxIterations: 9, policy: policy
        )
        .solve(sampleTask)
        #expect(outcome.stopReason == .budgetExhausted)
        #expect(outcome.iterations >= 1)
        #expect(outcome.usage.promptTokens + outcome.usage.completionTokens <= 320)
        #expect(outcome.usage.estimated)
        #expect(outcome.stopDetail?.contains("token budget") == true)
    }

    @Test func aSmallTokenBudgetStillMakesCallsWithAShorterReplyCap() async {
        // The task's prompt estimate is about 20 tokens; a 4096-token reply cap no longer blocks a 1200-token run.
        let generator = BudgetRecordingGenerator()
        let policy = LoopPolicy(stallLimit: 99, maxTokens: 1200, maxReplyTokens: 150)
        let outcome = await coder(generator, maxIterations: 3, policy: policy).solve(sampleTask)
        #expect(generator.caps.count == 3, "every iteration made its call")
        #expect(generator.caps.first == 150)
        #expect(outcome.usage.promptTokens + outcome.usage.completionTokens <= 1200)

        let tight = BudgetRecordingGenerator()
        let prompt = TokenEstimate.tokens(in: sampleTask.description + sampleTask.testCode)
        _ = await coder(tight, maxIterations: 1, policy: LoopPolicy(maxTokens: prompt + 40, maxReplyTokens: 4096))
            .solve(sampleTask)
        #expect(tight.caps == [40], "the reply cap is what the budget leaves after the prompt")
    }

    @Test func whenNotEvenAShortReplyFitsNoCallIsMadeAndTheNumbersAreSaid() async {
        let generator = BudgetRecordingGenerator()
        let outcome = await coder(generator, policy: LoopPolicy(maxTokens: 10)).solve(sampleTask)
        #expect(generator.caps.isEmpty)
        #expect(outcome.stopReason == .budgetExhausted)
        #expect(outcome.iterations == 0)
        let detail = outcome.stopDetail ?? ""
        #expect(detail.contains("prompt tokens and at least 16 reply tokens"), "\(detail)")
        #expect(detail.contains("10 of the 10-token budget are left"), "\(detail)")
    }

    @Test func aCostBudgetNeedsPricesAndIsNeverExceeded() async {
        let unpriced = await coder(RecordingGenerator(["a"]), policy: LoopPolicy(maxCostUSD: 1)).solve(sampleTask)
        #expect(unpriced.stopReason == .error)
        #expect(unpriced.error?.contains("needs the model's prices") == true)

        let pricing = Pricing(input: 1_000, output: 1_000)  // $0.001 a token
        let policy = LoopPolicy(stallLimit: 99, maxCostUSD: 0.08, maxReplyTokens: 100, pricing: pricing)
        let outcome = await coder(
            RecordingGenerator((1...9).map { "v\($0) passes=1" }), maxIterations: 9, policy: policy
        )
        .solve(sampleTask)
        #expect(outcome.stopReason == .budgetExhausted)
        #expect(outcome.stopDetail?.contains("of the $0.08 budget is left") == true, "\(outcome.stopDetail ?? "")")
        #expect((outcome.usage.costUSD ?? 0) <= 0.08)
        #expect((outcome.usage.costUSD ?? 0) > 0)
    }

    @Test func aTimeBudgetStopsWorkInFlight() async {
        let coder = AutonomousCoder(
            generator: HangingGenerator(), executor: CountingExecutor(), policy: LoopPolicy(maxTime: .milliseconds(200))
        )
        let start = ContinuousClock.now
        let outcome = await coder.solve(sampleTask)
        #expect(outcome.stopReason == .timeout)
        #expect(outcome.stopDetail?.contains("time limit") == true)
        #expect(ContinuousClock.now - start < .seconds(30))
    }

    @Test func heldOutTestsAreHiddenAndCatchOverfitting() async {
        var task = sampleTask
        task.holdoutTests = [CodeFile(path: "test_hidden.py", content: "def test_hidden(): ...")]
        let generator = RecordingGenerator(["passes=4"])
        let overfit = await coder(generator).solve(task)
        #expect(overfit.solved)
        #expect(overfit.holdoutResult?.passed == false)
        #expect(overfit.overfit)
        #expect(
            generator.tasks.allSatisfy { $0.holdoutTests.isEmpty && !$0.tests.contains { $0.path == "test_hidden.py" } }
        )

        let general = await coder(RecordingGenerator(["GENERAL passes=4"])).solve(task)
        #expect(general.holdoutResult?.passed == true)
        #expect(!general.overfit)
    }

    @Test func aTestThatPassesWhenRunAgainIsFlakyNotAFailure() async {
        let generator = RecordingGenerator(["FLAKY"])
        let outcome = await coder(generator).solve(sampleTask)
        #expect(outcome.solved)
        #expect(outcome.iterations == 1)
        #expect(outcome.flakyTests == ["test_4"])
        #expect(generator.feedback.isEmpty)
    }

    @Test func aFlakyCandidateIsConfirmedToo() async {
        struct FlakyVariants: CodeGenerator {
            func generate(_ task: CodingTask) async throws -> Attempt { try await generate(task, variant: 0) }
            func fix(_ task: CodingTask, previous: Attempt, feedback: Feedback) async throws -> Attempt {
                Attempt(files: [CodeFile(path: "solution.py", content: "fixed passes=4")])
            }
            func generate(_ task: CodingTask, variant: Int) async throws -> Attempt {
                Attempt(files: [CodeFile(path: "solution.py", content: variant == 0 ? "FLAKY" : "v1 passes=1")])
            }
        }
        let outcome = await coder(FlakyVariants(), policy: LoopPolicy(candidates: 2)).solve(sampleTask)
        #expect(outcome.solved)
        #expect(outcome.iterations == 1)
        #expect(outcome.flakyTests == ["test_4"])
    }

    @Test func parallelCandidatesKeepTheBestAndStopWhenOnePasses() async {
        struct VariantGenerator: CodeGenerator {
            func generate(_ task: CodingTask) async throws -> Attempt { try await generate(task, variant: 0) }
            func fix(_ task: CodingTask, previous: Attempt, feedback: Feedback) async throws -> Attempt {
                Attempt(files: [CodeFile(path: "solution.py", content: "fixed passes=4")])
            }
            func generate(_ task: CodingTask, variant: Int) async throws -> Attempt {
                if variant == 2 { try await Task.sleep(for: .seconds(3600)) }  // stopped when another one passes
                return Attempt(files: [
                    CodeFile(path: "solution.py", content: "v\(variant) passes=\(variant == 1 ? 4 : 2)")
                ])
            }
        }
        let outcome = await coder(VariantGenerator(), policy: LoopPolicy(candidates: 3)).solve(sampleTask)
        #expect(outcome.solved)
        #expect(outcome.iterations == 1)
        #expect(outcome.finalFiles.first?.content == "v1 passes=4")
        #expect(outcome.candidates.map(\.variant) == [0, 1, 2])
        #expect(outcome.candidates.map(\.kept) == [false, true, false])
        #expect(outcome.candidates[2].testResult == nil)

        struct NeverPasses: CodeGenerator {
            func generate(_ task: CodingTask) async throws -> Attempt { try await generate(task, variant: 0) }
            func fix(_ task: CodingTask, previous: Attempt, feedback: Feedback) async throws -> Attempt {
                Attempt(files: [CodeFile(path: "solution.py", content: "fixed passes=4")])
            }
            func generate(_ task: CodingTask, variant: Int) async throws -> Attempt {
                Attempt(files: [CodeFile(path: "solution.py", content: "v\(variant) passes=\([1, 3, 2][variant])")])
            }
        }
        let continued = await coder(NeverPasses(), policy: LoopPolicy(candidates: 3)).solve(sampleTask)
        #expect(continued.solved)
        #expect(continued.iterations == 2)
        #expect(continued.steps[0].files.first?.content == "v1 passes=3")  // the best candidate, continued from
    }
}

/// Records the reply cap the loop allowed each call; its replies pass one test of four.
final class BudgetRecordingGenerator: CodeGenerator {
    private let state = Mutex<[Int?]>([])
    var caps: [Int?] { state.withLock { $0 } }

    func generate(_ task: CodingTask) async throws -> Attempt { record(nil) }
    func fix(_ task: CodingTask, previous: Attempt, feedback: Feedback) async throws -> Attempt { record(nil) }
    func respond(to request: GenerationRequest) async throws -> Attempt { record(request.replyTokens) }

    private func record(_ cap: Int?) -> Attempt {
        let count = state.withLock { state in
            state.append(cap)
            return state.count
        }
        return attempt("v\(count) passes=1")
    }
}
