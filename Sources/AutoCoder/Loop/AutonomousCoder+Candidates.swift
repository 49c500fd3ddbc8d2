extension AutonomousCoder {
    /// How the parallel first attempts ended.
    enum CandidatesResult {
        /// The best candidate: its attempt, its test result, how long the candidates took, and whether it reached
        /// the executor (or was rejected by its check).
        case chosen(Attempt, TestResult, Int, tested: Bool)
        case failed(String)
        case cancelled
    }

    private struct Candidate: Sendable {
        var variant: Int
        var attempt: Attempt?
        var result: TestResult?
        var error: String?
        var tested = false
    }

    /// Asks for `count` first attempts at once (variants 0…count-1), tests them as they arrive, stops the others
    /// as soon as one passes everything, and keeps the best: a passing one, else the one passing the most tests
    /// (the lower variant on a tie). Every candidate's tokens are counted.
    func candidates(
        _ task: CodingTask, count: Int, replyTokens: Int, requestText: String, state: inout RunState
    ) async -> CandidatesResult {
        let start = ContinuousClock.now
        let replyText = state.replyText
        let finished = await withTaskGroup(of: Candidate.self) { group in
            for variant in 0..<count {
                group.addTask {
                    var candidate = Candidate(variant: variant)
                    do {
                        var call = GenerationRequest(
                            type: .generate, task: task, variant: variant, replyTokens: replyTokens)
                        call.replyText = replyText
                        var attempt = try await generator.respond(to: call)
                        attempt.usage = accountedUsage(attempt, requestText: requestText)
                        candidate.attempt = attempt
                        if let problem = AttemptCheck.problem(with: attempt, for: task) {
                            candidate.result = AttemptCheck.rejectedResult(problem)
                        } else {
                            candidate.result = try await executor.test(attempt.files, for: task)
                            candidate.tested = true
                        }
                    } catch {
                        candidate.error = describe(error)
                    }
                    return candidate
                }
            }
            var all: [Candidate] = []
            for await candidate in group {
                all.append(candidate)
                if candidate.result?.passed == true { group.cancelAll() }
            }
            return all.sorted { $0.variant < $1.variant }
        }
        for candidate in finished {
            state.usage = state.usage + (candidate.attempt?.usage ?? .zero)
            state.calibrate(with: candidate.attempt?.usage, estimatedPrompt: TokenEstimate.tokens(in: requestText))
        }
        let tested = finished.filter { $0.result != nil && $0.attempt != nil }
        let chosen =
            tested.first { $0.result?.passed == true }
            ?? tested.max {
                ($0.result?.numVerifiedPassed ?? 0, -$0.variant) < ($1.result?.numVerifiedPassed ?? 0, -$1.variant)
            }
        state.candidates = finished.map {
            CandidateSummary(variant: $0.variant, testResult: $0.result, kept: $0.variant == chosen?.variant)
        }
        if Task.isCancelled { return .cancelled }
        guard let chosen, let attempt = chosen.attempt, let result = chosen.result else {
            return .failed(finished.compactMap(\.error).first ?? "no candidate was produced")
        }
        return .chosen(attempt, result, start.millisecondsElapsed, tested: chosen.tested)
    }
}
