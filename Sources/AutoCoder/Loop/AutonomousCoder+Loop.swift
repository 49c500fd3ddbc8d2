import Foundation
import Logging

extension AutonomousCoder {
    /// The iterations of one run. Returns when the tests pass or a stop condition is hit.
    func loop(
        _ task: CodingTask, state: inout RunState, deadline: DeadlineFlag,
        onEvent: @escaping @Sendable (CodingEvent) -> Void
    ) async -> RunOutcome {
        let visible = task.visible
        let limit = task.maxIterations ?? maxIterations
        if let problem = policyProblem(limit: limit) { return state.outcome(.error, error: problem) }
        // What the next fix is shown, and the files its reply is laid over.
        var previous: (attempt: Attempt, result: TestResult)?
        var regressionNote: String?

        for iteration in 1...limit {
            if Task.isCancelled { return stopped(state, deadline) }
            let type: StepType = previous == nil ? .generate : .fix
            let feedback = previous.map { previous in
                Feedback(
                    testResult: previous.result,
                    text: feedbackFormatter.render(previous.result) + (regressionNote.map { "\n\n" + $0 } ?? ""))
            }
            let calls = type == .generate ? policy.candidates : 1
            let requestText =
                visible.description + visible.testCode
                + (previous?.attempt.files.map(\.content).joined() ?? "") + (feedback?.text ?? "")
            let replyTokens: Int
            switch replyAllowance(calls: calls, promptTokens: TokenEstimate.tokens(in: requestText), state) {
            case .tokens(let tokens): replyTokens = tokens
            case .exhausted(let detail):
                return state.outcome(.budgetExhausted, detail: detail + "; " + state.keptText + ".")
            }
            onEvent(.started(type, iteration: iteration))

            let attempt: Attempt
            let result: TestResult
            let generationMs: Int
            // Whether the attempt reached the executor (a rejected one stands for its rejection only).
            let tested: Bool
            let stepStart = ContinuousClock.now
            if calls > 1 {
                let chosen = await GenerationContext.$replyTokens.withValue(replyTokens) {
                    await GenerationContext.$iteration.withValue(iteration) {
                        await candidates(visible, count: calls, requestText: requestText, state: &state)
                    }
                }
                switch chosen {
                case .chosen(let chosen, let chosenResult, let milliseconds, let chosenTested):
                    onEvent(
                        .generated(
                            GeneratorCall(
                                type: type, iteration: iteration, feedback: nil, attempt: chosen,
                                latencyMs: milliseconds)))
                    onEvent(.started(.test, iteration: iteration))
                    do {
                        result = try await confirmed(chosenResult, files: chosen.files, task: visible, state: &state)
                    } catch {
                        if Task.isCancelled || error is CancellationError { return stopped(state, deadline) }
                        return state.outcome(.error, error: "The executor failed: \(describe(error))")
                    }
                    (attempt, generationMs, tested) = (chosen, milliseconds, chosenTested)
                case .failed(let message):
                    return state.outcome(.error, error: "The generator failed: \(message)")
                case .cancelled:
                    return stopped(state, deadline)
                }
            } else {
                var generated: Attempt
                do {
                    generated = try await GenerationContext.$replyTokens.withValue(replyTokens) {
                        try await GenerationContext.$iteration.withValue(iteration) {
                            if let previous, let feedback {
                                try await generator.fix(visible, previous: previous.attempt, feedback: feedback)
                            } else {
                                try await generator.generate(visible)
                            }
                        }
                    }
                } catch {
                    if Task.isCancelled || error is CancellationError { return stopped(state, deadline) }
                    return state.outcome(.error, error: "The generator failed: \(describe(error))")
                }
                generationMs = stepStart.millisecondsElapsed
                generated.usage = accountedUsage(generated, requestText: requestText)
                state.usage = state.usage + (generated.usage ?? .zero)
                onEvent(
                    .generated(
                        GeneratorCall(
                            type: type, iteration: iteration, feedback: feedback?.text, attempt: generated,
                            latencyMs: generationMs)))
                if previous != nil {
                    let base = (regressionNote != nil && policy.revertOnRegression ? state.best : state.lastTested)
                    generated.files = (base?.files ?? []).overlaid(with: generated.files)
                }
                if let earlier = state.iteration(with: generated.files), generated.problem == nil {
                    // Not a stop: the model is told, and the same answer again and again ends the run through the
                    // stall limit like any other repeated failure.
                    generated.problem =
                        "This is the code of iteration \(earlier) again, which did not pass. Write a different "
                        + "implementation that fixes the failures."
                }
                onEvent(.started(.test, iteration: iteration))
                let problem = AttemptCheck.problem(with: generated, for: visible)
                tested = problem == nil
                do {
                    result = try await test(generated, visible, problem: problem, state: &state)
                } catch {
                    if Task.isCancelled || error is CancellationError { return stopped(state, deadline) }
                    return state.outcome(.error, error: "The executor failed: \(describe(error))")
                }
                attempt = generated
            }
            if Task.isCancelled { return stopped(state, deadline) }
            onEvent(.tested(result, iteration: iteration))

            let step = CodingStep(
                type: type, iteration: iteration, files: attempt.files, testResult: result,
                durationMs: stepStart.millisecondsElapsed, generationMs: generationMs, usage: attempt.usage,
                reply: attempt.reply)
            let regressed = state.regressions(in: result)

            state.record(step, tested: tested)
            onEvent(.stepFinished(step))

            if let reason = attempt.testsInconsistent {
                return state.outcome(.testsInconsistent, detail: reason)
            }
            if result.outcome == .infrastructureError {
                return state.outcome(.error, error: "The tests could not be run: \(result.message ?? result.summary)")
            }
            if result.passed {
                return state.outcome(.testsPassed, detail: "All tests passed at iteration \(iteration).")
            }
            let repeats = state.repeatCount(of: result)
            // At the last iteration the run stops anyway, for reaching its limit.
            if repeats >= policy.stallLimit, iteration < limit {
                return state.outcome(
                    .noProgress,
                    detail: "The same failures came back \(repeats) times in a row; \(state.keptText).")
            }
            regressionNote = nil
            if tested, !regressed.isEmpty, let best = state.best {
                logger.debug("regression", metadata: ["iteration": "\(iteration)", "tests": "\(regressed)"])
                regressionNote =
                    "Iteration \(iteration) broke tests that passed before: \(regressed.joined(separator: ", "))."
                    + (policy.revertOnRegression
                        ? " That attempt was set aside: this fix starts again from iteration \(best.iteration)'s code, "
                            + "whose failures are listed above. Keep those tests passing."
                        : " Make them pass again.")
            }
            let shown = regressionNote != nil && policy.revertOnRegression ? state.best : step
            previous = (
                Attempt(files: shown?.files ?? attempt.files, reply: shown?.reply, usage: shown?.usage),
                shown?.testResult ?? result
            )
        }
        return state.outcome(.maxIterations, detail: "Stopped after \(limit) iterations; \(state.keptText).")
    }

    /// Runs an attempt that passed its check (or stands for its `problem`), confirming a failing run (see
    /// ``confirmed(_:files:task:state:)``).
    private func test(
        _ attempt: Attempt, _ task: CodingTask, problem: String?, state: inout RunState
    ) async throws -> TestResult {
        if let problem { return AttemptCheck.rejectedResult(problem) }
        let first = try await executor.test(attempt.files, for: task)
        return try await confirmed(first, files: attempt.files, task: task, state: &state)
    }

    /// A failing run is run again at once; tests that pass the second time are recorded as flaky, and the second
    /// run is the result.
    private func confirmed(
        _ first: TestResult, files: [CodeFile], task: CodingTask, state: inout RunState
    ) async throws -> TestResult {
        guard policy.rerunFailures, first.outcome == .failed else { return first }
        let second = try await executor.test(files, for: task)
        let passedAgain = Set(second.tests.filter { $0.outcome == .passed }.map(RunState.key))
        let flaky = first.problems.map(RunState.key).filter(passedAgain.contains)
        state.flakyTests.append(contentsOf: flaky.filter { !state.flakyTests.contains($0) })
        return second
    }

    /// How a run cut short by cancellation stops: `timeout` when its time budget ran out, else `cancelled`.
    private func stopped(_ state: RunState, _ deadline: DeadlineFlag) -> RunOutcome {
        guard deadline.isHit, let maxTime = policy.maxTime else {
            return state.outcome(.cancelled, detail: "The run was cancelled; \(state.keptText).")
        }
        return state.outcome(.timeout, detail: "The run reached its time limit of \(maxTime); \(state.keptText).")
    }

    /// Why the limits cannot be used, if they cannot.
    private func policyProblem(limit: Int) -> String? {
        if limit < 1 { return "The iteration limit must be at least 1 (it is \(limit))." }
        if policy.candidates < 1 { return "The number of candidates must be at least 1 (it is \(policy.candidates))." }
        if policy.stallLimit < 1 { return "The stall limit must be at least 1 (it is \(policy.stallLimit))." }
        if policy.maxCostUSD != nil, policy.pricing == nil {
            return "A cost budget needs the model's prices, to check each call before it is made."
        }
        return nil
    }
}
