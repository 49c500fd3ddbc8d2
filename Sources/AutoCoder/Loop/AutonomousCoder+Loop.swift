import Foundation

extension AutonomousCoder {
    /// The iterations of one run: each asks (within the budgets), proposes (the generator's reply, laid over the
    /// code it fixes), tests (after the attempt's check) and judges; any step may end the run instead. Returns when
    /// the tests pass or a stop condition is hit.
    func loop(
        _ task: CodingTask, state: inout RunState, deadline: DeadlineFlag,
        onEvent: @escaping @Sendable (CodingEvent) -> Void
    ) async -> RunOutcome {
        let visible = task.visible
        let limit = task.maxIterations ?? maxIterations
        if let problem = policyProblem(limit: limit) { return state.outcome(.error, error: problem) }
        var previous: Previous?
        do throws(Stop) {
            for iteration in 1...limit {
                if Task.isCancelled { throw stopped(state, deadline) }
                let request = try ask(iteration: iteration, task: visible, previous: previous, state: state)
                onEvent(.started(request.type, iteration: iteration))
                let start = ContinuousClock.now
                let proposal = try await propose(
                    request, task: visible, previous: previous, state: &state, deadline: deadline, onEvent: onEvent)
                onEvent(.started(.test, iteration: iteration))
                let (result, tested) = try await test(proposal, task: visible, state: &state, deadline: deadline)
                if Task.isCancelled { throw stopped(state, deadline) }
                onEvent(.tested(result, iteration: iteration))
                let step = CodingStep(
                    type: request.type, iteration: iteration, files: proposal.attempt.files, testResult: result,
                    durationMs: start.millisecondsElapsed, generationMs: proposal.generationMs,
                    usage: proposal.attempt.usage, reply: proposal.attempt.reply)
                let regressed = state.regressions(in: result)
                state.record(step, tested: tested)
                onEvent(.stepFinished(step))
                try judge(result, of: step, attempt: proposal.attempt, limit: limit, state: &state)
                previous = next(after: step, result: result, tested: tested, regressed: regressed, state: state)
            }
        } catch {
            return error.outcome
        }
        return state.outcome(.maxIterations, detail: "Stopped after \(counted(limit, "iteration")); \(state.keptText).")
    }

    /// A failing run is run again at once; tests that pass the second time are recorded as flaky, and the second
    /// run is the result.
    func confirmed(
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
    func stopped(_ state: RunState, _ deadline: DeadlineFlag) -> Stop {
        guard deadline.isHit, let maxTime = policy.maxTime else {
            return Stop(state.outcome(.cancelled, detail: "The run was cancelled; \(state.keptText)."))
        }
        return Stop(
            state.outcome(.timeout, detail: "The run reached its time limit of \(maxTime); \(state.keptText)."))
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
