import AutoCoder
import AutoCoderApp
import AutoCoderBench
import AutoCoderPostgres
import Foundation

/// The PostgreSQL queue as the command line's `worker`, `bench … --database`, `bench status` and `bench results`
/// use it: a database address, and what each command does there. Every call opens the queue with its schema up to
/// date, retrying for up to 30 s while the server cannot be reached; a refusal is a ``DatabaseError``.
public struct QueueAccess: Sendable {
    public let address: DatabaseAddress

    /// Throws ``DatabaseError/badAddress(_:)`` for a URL that is not a PostgreSQL address.
    public init(url: String) throws {
        address = try DatabaseAddress(url)
    }

    /// Enqueues `plan`'s problems (the plan itself is kept without them): the bench's id.
    public func enqueue(_ plan: BenchPlan) async throws -> String {
        var kept = plan
        kept.problems = []
        let stored = try JSONDocument.encoder().encode(kept)
        return try await withQueue { queue in
            try await queue.enqueue(
                name: plan.name, plan: stored, problems: plan.problems, maxAttempts: plan.maxAttempts)
        }
    }

    /// Where one bench stands, or every bench without an id.
    public func status(_ benchID: String?) async throws -> [BenchStatus] {
        try await withQueue { try await $0.status(benchID) }
    }

    /// A bench's status and its results so far, as a local bench summarizes them.
    public func results(_ benchID: String) async throws -> (status: BenchStatus, summary: BenchSummary) {
        let (status, results, plan) = try await withQueue { queue in
            let (status, results) = try await queue.results(benchID)
            return (
                status, results,
                try JSONDocument.decoder().decode(BenchPlan.self, from: try await queue.plan(of: benchID))
            )
        }
        let summary = BenchSummary(
            dataset: status.name, results: results, wallSeconds: status.wallSeconds, interrupted: false,
            impossible: plan.bench.impossible)
        return (status, summary)
    }

    /// Claims and runs queued problems, `jobs` at a time, until cancelled (the problems in progress are given
    /// back) or, with `exitWhenIdle`, until none is queued or running.
    public func work(jobs: Int, lease: Duration, exitWhenIdle: Bool, store: String?) async throws {
        let name = "\(ProcessInfo.processInfo.hostName):\(getpid())"
        say("\(name) using \(address)")
        try await BenchQueue.with(address) { queue in
            do {
                try await Worker(
                    queue: queue, name: name, jobs: jobs, lease: lease, exitWhenIdle: exitWhenIdle,
                    poll: .seconds(2), store: store ?? RunConfiguration().store
                ).run()
            } catch {
                throw DatabaseError.unavailable(
                    "the database at \(address) refused: \(DatabaseError.describing(error))")
            }
        }
    }

    /// Runs `body` with the queue, its schema up to date, retrying for up to 30 s while the server cannot be
    /// reached.
    func withQueue<Result: Sendable>(
        _ body: @escaping @Sendable (BenchQueue) async throws -> Result
    ) async throws
        -> Result
    {
        let address = address
        return try await BenchQueue.with(address) { queue in
            var delay = Duration.milliseconds(200)
            let deadline = ContinuousClock.now + .seconds(30)
            while true {
                do {
                    try await queue.open()
                    return try await body(queue)
                } catch {
                    if Task.isCancelled { throw CancellationError() }
                    guard DatabaseError.isTransient(error) else {
                        throw error as? DatabaseError
                            ?? DatabaseError.unavailable(
                                "the database at \(address) refused: \(DatabaseError.describing(error))")
                    }
                    guard ContinuousClock.now + delay < deadline else {
                        throw DatabaseError.unavailable(
                            "the database at \(address) does not answer: \(DatabaseError.describing(error))")
                    }
                    try await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(5))
                }
            }
        }
    }
}
