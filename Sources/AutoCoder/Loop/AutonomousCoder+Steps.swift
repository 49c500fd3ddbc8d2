import Foundation
import Logging

extension AutonomousCoder {
    /// The end of a run, thrown by the step that reached it.
    struct Stop: Error {
        var outcome: RunOutcome

        init(_ outcome: RunOutcome) {
            self.outcome = outcome
        }
    }

    /// What the next iteration fixes: the attempt shown to the model, its result, and a note on tests it broke.
    struct Previous {
        var attempt: Attempt
        var result: TestResult
        var regressionNote: String?
    }

    /// What one iteration asks the generator for.
    struct Request {
        var iteration: Int
        var type: StepType
        var feedback: Feedback?
        /// Parallel first attempts (candidates), else 1.
        var calls: Int
        /// What the request holds, to estimate its tokens.
        var text: String
        var replyTokens: Int
    }

    /// A reply ready to test: the attempt, how long it took, and, for candidates, the result it already has.
    struct Proposal {
        var attempt: Attempt
        var generationMs: Int
        var tested: (result: TestResult, reachedExecutor: Bool)?
    }

    /// Ask: the request of `iteration`, with the longest reply the budgets allow (or the run ends on them).
    func ask(iteration: Int, task: CodingTask, previous: Previous?, state: RunState) throws(Stop) -> Request {
        let type: StepType = previous == nil ? .generate : .fix
        let feedback = previous.map { previous in
            Feedback(
                testResult: previous.result,
                text: feedbackFormatter.render(previous.result) + (previous.regressionNote.map { "\n\n" + $0 } ?? ""))
        }
        let calls = type == .generate ? policy.candidates : 1
        let text =
            task.description + task.testCode + (previous?.attempt.files.map(\.content).joined() ?? "")
            + (feedback?.text ?? "")
        switch replyAllowance(calls: calls, promptTokens: state.calibratedPrompt(TokenEstimate.tokens(in: text)), state)
        {
        case .tokens(let tokens):
            return Request(
                iteration: iteration, type: type, feedback: feedback, calls: calls, text: text, replyTokens: tokens)
        case .exhausted(let detail):
            throw Stop(state.outcome(.budgetExhausted, detail: detail + "; " + state.keptText + "."))
        }
    }

    /// Propose: the generator's attempt (the best of the candidates, tested already, on a first attempt with
    /// several), laid over the files it fixes; the same code as an earlier iteration's is marked as such.
    func propose(
        _ request: Request, task: CodingTask, previous: Previous?, state: inout RunState, deadline: DeadlineFlag,
        onEvent: @escaping @Sendable (CodingEvent) -> Void
    ) async throws(Stop) -> Proposal {
        let iteration = request.iteration
        if request.calls > 1 {
            let chosen = await candidates(
                task, count: request.calls, replyTokens: request.replyTokens, requestText: request.text,
                state: &state)
            switch chosen {
            case .chosen(let attempt, let result, let milliseconds, let reachedExecutor):
                onEvent(
                    .generated(
                        GeneratorCall(
                            type: request.type, iteration: iteration, feedback: nil, attempt: attempt,
                            latencyMs: milliseconds)))
                return Proposal(attempt: attempt, generationMs: milliseconds, tested: (result, reachedExecutor))
            case .failed(let message):
                throw Stop(state.outcome(.error, error: "The generator failed: \(message)"))
            case .cancelled:
                throw stopped(state, deadline)
            }
        }
        let start = ContinuousClock.now
        var attempt: Attempt
        do {
            var call =
                if let previous, let feedback = request.feedback {
                    GenerationRequest.fix(
                        task, previous: previous.attempt, feedback: feedback, iteration: iteration,
                        replyTokens: request.replyTokens)
                } else {
                    GenerationRequest(
                        type: .generate, task: task, iteration: iteration, replyTokens: request.replyTokens)
                }
            call.replyText = state.replyText
            attempt = try await generator.respond(to: call)
        } catch {
            throw failure(error, of: "generator", state: state, deadline: deadline)
        }
        let generationMs = start.millisecondsElapsed
        attempt.usage = accountedUsage(attempt, requestText: request.text)
        state.usage = state.usage + (attempt.usage ?? .zero)
        state.calibrate(with: attempt.usage, estimatedPrompt: TokenEstimate.tokens(in: request.text))
        onEvent(
            .generated(
                GeneratorCall(
                    type: request.type, iteration: iteration, feedback: request.feedback?.text, attempt: attempt,
                    latencyMs: generationMs)))
        if let previous {
            let base = previous.regressionNote != nil && policy.revertOnRegression ? state.best : state.lastTested
            attempt.files = (base?.files ?? []).overlaid(with: attempt.files)
        }
        if let earlier = state.iteration(with: attempt.files), attempt.problem == nil {
            // Not a stop: the model is told, and the same answer again and again ends the run through the stall
            // limit like any other repeated failure.
            attempt.problem =
                "This is the code of iteration \(earlier) again, which did not pass. Write a different "
                + "implementation that fixes the failures."
        }
        return Proposal(attempt: attempt, generationMs: generationMs)
    }

    /// Test: the attempt's check, then the tests (a failing run confirmed by a second one); whether it reached the
    /// executor (a rejected attempt stands for its rejection only).
    func test(
        _ proposal: Proposal, task: CodingTask, state: inout RunState, deadline: DeadlineFlag
    ) async throws(Stop) -> (TestResult, tested: Bool) {
        do {
            if let (result, reachedExecutor) = proposal.tested {
                return (
                    try await confirmed(result, files: proposal.attempt.files, task: task, state: &state),
                    reachedExecutor
                )
            }
            if let problem = AttemptCheck.problem(with: proposal.attempt, for: task) {
                return (AttemptCheck.rejectedResult(problem), false)
            }
            let first = try await executor.test(proposal.attempt.files, for: task)
            return (try await confirmed(first, files: proposal.attempt.files, task: task, state: &state), true)
        } catch {
            throw failure(error, of: "executor", state: state, deadline: deadline)
        }
    }

    /// Judge: the run ends when the model says the tests are inconsistent, the tests cannot run, they pass, or the
    /// same failures come back `stallLimit` times before the last iteration.
    func judge(
        _ result: TestResult, of step: CodingStep, attempt: Attempt, limit: Int, state: inout RunState
    ) throws(Stop) {
        if let reason = attempt.testsInconsistent {
            throw Stop(state.outcome(.testsInconsistent, detail: reason))
        }
        if result.outcome == .infrastructureError {
            throw Stop(
                state.outcome(.error, error: "The tests could not be run: \(result.message ?? result.summary)"))
        }
        if result.passed {
            throw Stop(state.outcome(.testsPassed, detail: "All tests passed at iteration \(step.iteration)."))
        }
        let repeats = state.repeatCount(of: result)
        // At the last iteration the run stops anyway, for reaching its limit.
        if repeats >= policy.stallLimit, step.iteration < limit {
            throw Stop(
                state.outcome(
                    .noProgress, detail: "The same failures came back \(repeats) times in a row; \(state.keptText)."))
        }
    }

    /// What the next fix is shown: this step, or, after it broke tests that passed before and reverting is on,
    /// the best step so far, with a note on what broke.
    func next(
        after step: CodingStep, result: TestResult, tested: Bool, regressed: [String], state: RunState
    ) -> Previous {
        var note: String?
        if tested, !regressed.isEmpty, let best = state.best {
            logger.debug("regression", metadata: ["iteration": "\(step.iteration)", "tests": "\(regressed)"])
            note =
                "Iteration \(step.iteration) broke tests that passed before: \(regressed.joined(separator: ", "))."
                + (policy.revertOnRegression
                    ? " That attempt was set aside: this fix starts again from iteration \(best.iteration)'s code, "
                        + "whose failures are listed above. Keep those tests passing."
                    : " Make them pass again.")
        }
        let shown = note != nil && policy.revertOnRegression ? state.best ?? step : step
        return Previous(
            attempt: Attempt(files: shown.files, reply: shown.reply, usage: shown.usage),
            result: shown.testResult ?? result, regressionNote: note)
    }

    /// How a failed generator or executor call ends the run: cancelled (or timed out) when it was cancelled.
    private func failure(_ error: any Error, of part: String, state: RunState, deadline: DeadlineFlag) -> Stop {
        if Task.isCancelled || error is CancellationError { return stopped(state, deadline) }
        return Stop(state.outcome(.error, error: "The \(part) failed: \(describe(error))"))
    }
}
