import AutoCoder

/// Runs a task set's problems, several at once: the scheduler of a bench. Each problem is solved by the caller's
/// `solve` (a session's run of the loop), so the loop is made in one place.
public struct BenchRunner: Sendable {
    /// The most problems run at the same time.
    public var jobs: Int

    public init(jobs: Int) {
        self.jobs = max(1, jobs)
    }

    /// Solves each problem with `solve` (which runs the loop on it: a session's run), ``jobs`` at once, calling
    /// `onResult` as each one ends. The results come back in the problems' order.
    public func run(
        _ problems: [BenchProblem], onResult: @escaping @Sendable (BenchResult) -> Void = { _ in },
        solve: @escaping @Sendable (BenchProblem) async throws -> RunOutcome
    ) async throws -> [BenchResult] {
        try await withThrowingTaskGroup(of: (Int, BenchResult).self) { group in
            var next = 0
            var results: [BenchResult?] = Array(repeating: nil, count: problems.count)
            func start() {
                guard next < problems.count else { return }
                let index = next
                let problem = problems[index]
                group.addTask {
                    let outcome = try await solve(problem)
                    let result = BenchResult(problem: problem, outcome: outcome)
                    onResult(result)
                    return (index, result)
                }
                next += 1
            }
            for _ in 0..<jobs { start() }
            while let (index, result) = try await group.next() {
                results[index] = result
                start()
            }
            return results.compactMap { $0 }
        }
    }
}

extension BenchResult {
    /// What a bench keeps of `problem`'s run.
    public init(problem: BenchProblem, outcome: RunOutcome) {
        self.init(
            taskID: problem.id, solved: outcome.solved, iterations: outcome.iterations,
            firstAttemptPassed: outcome.steps.first?.testResult?.passed ?? false, stopReason: outcome.stopReason,
            outcome: outcome.testResult?.outcome, message: outcome.error ?? outcome.testResult?.message,
            durationMs: outcome.durationMs, usage: outcome.usage,
            tamperedAttempts: outcome.steps.filter { $0.testResult?.outcome == .tampered }.count,
            language: problem.task.language, replies: outcome.steps.filter { $0.reply != nil }.count,
            wellFormedReplies: outcome.steps.filter { $0.reply != nil && !$0.files.isEmpty }.count,
            verdictIsolation: outcome.testResult?.integrity?.isolation,
            verdictFallback: outcome.testResult?.integrity?.fallback)
    }
}
