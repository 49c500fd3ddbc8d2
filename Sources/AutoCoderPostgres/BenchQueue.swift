import AutoCoder
import AutoCoderBench
import Foundation
import Logging
import PostgresNIO

/// A problem a worker holds: what to run, and the lease's fencing token, without which nothing it writes counts.
public struct ClaimedProblem: Sendable {
    public var benchID: String
    public var position: Int
    public var attempt: Int
    /// The lease's fencing token: a later claim of the same problem gets a larger one, and only the holder of the
    /// current one may renew the lease or write the result.
    public var token: Int64
    public var problem: BenchProblem

    init(benchID: String, position: Int, attempt: Int, token: Int64, json: String) throws {
        (self.benchID, self.position, self.attempt, self.token) = (benchID, position, attempt, token)
        problem = try JSONDocument.decoder().decode(BenchProblem.self, from: json)
    }
}

/// The benches in PostgreSQL: enqueued in one transaction, claimed with `FOR UPDATE SKIP LOCKED` under leases that
/// their workers renew, and finished exactly once: a result counts only with the lease's current fencing token.
public struct BenchQueue: Sendable {
    let client: PostgresClient
    let address: DatabaseAddress
    let logger = Logger(label: "autocoder.queue")

    /// Opens a client for `address`, brings the schema up to date, and runs `body` with the queue; the client closes
    /// when `body` returns.
    public static func with<Result: Sendable>(
        _ address: DatabaseAddress, _ body: @Sendable (BenchQueue) async throws -> Result
    ) async throws -> Result {
        let client = PostgresClient(configuration: try address.configuration())
        let running = Task { await client.run() }
        defer { running.cancel() }
        return try await body(BenchQueue(client: client, address: address))
    }

    /// Logs in once on a connection of its own (whose error, unlike the pool's, says why a login failed), then
    /// creates or updates the queue's tables.
    public func open() async throws {
        let connection = try await PostgresConnection.connect(
            configuration: try address.connectionConfiguration(), id: 0, logger: logger)
        try await connection.close()
        try await QueueSchema.migrate(client, logger: logger)
    }

    /// Enqueues `problems` as a new bench named `name`, with `plan` (what they run with, JSON) and `maxAttempts`
    /// claims each, in one transaction; returns its id.
    public func enqueue(name: String, plan: Data, problems: [BenchProblem], maxAttempts: Int) async throws -> String {
        let id = UUID().uuidString.lowercased()
        let encoder = JSONDocument.encoder()
        let encoded = try problems.map { try encoder.string($0) }
        let (ids, planText) = (problems.map(\.id), String(decoding: plan, as: UTF8.self))
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query(
                """
                INSERT INTO autocoder_benches (id, name, plan, problems, max_attempts)
                VALUES (\(id), \(name), \(planText)::jsonb, \(problems.count), \(maxAttempts))
                """, logger: logger)
            try await connection.query(
                """
                INSERT INTO autocoder_problems (bench_id, position, task_id, problem, max_attempts)
                SELECT \(id), given.position - 1, given.task_id, given.problem::jsonb, \(maxAttempts)
                FROM unnest(\(ids)::text[], \(encoded)::text[]) WITH ORDINALITY AS given (task_id, problem, position)
                ORDER BY given.position
                """, logger: logger)
        }
        return id
    }

    /// The plan (JSON) `benchID` was enqueued with.
    public func plan(of benchID: String) async throws -> Data {
        for try await plan in try await client.query(
            "SELECT plan::text FROM autocoder_benches WHERE id = \(benchID)", logger: logger
        ).decode(String.self) {
            return Data(plan.utf8)
        }
        throw DatabaseError.unknownBench(benchID)
    }

    /// Claims the next problem for `worker`: a queued one, or one whose lease ran out, oldest bench first, under a
    /// lease of `lease` (see `autocoder_claim` in ``QueueSchema``). Problems whose leases ran out once too often are
    /// marked failed on the way. `nil` when no problem is free.
    public func claim(worker: String, lease: Duration) async throws -> ClaimedProblem? {
        let rows = try await client.query(
            """
            SELECT bench_id, position, attempts, lease_token, problem
            FROM autocoder_claim(\(worker)::text, \(lease.seconds)::double precision)
            """, logger: logger)
        for try await (benchID, position, attempt, token, problem) in rows.decode(
            (String, Int, Int, Int64, String).self)
        {
            return try ClaimedProblem(
                benchID: benchID, position: position, attempt: attempt, token: token, json: problem)
        }
        return nil
    }

    /// Extends `claimed`'s lease by `lease` from now; `false` when the lease is no longer this claim's (another
    /// worker took the problem over, or it finished).
    public func renew(_ claimed: ClaimedProblem, lease: Duration) async throws -> Bool {
        let seconds = lease.seconds
        return try await returnsRow(
            """
            UPDATE autocoder_problems SET lease_expires_at = clock_timestamp() + make_interval(secs => \(seconds))
            WHERE bench_id = \(claimed.benchID) AND position = \(claimed.position)
                AND lease_token = \(claimed.token) AND state = 'running'
            RETURNING position
            """)
    }

    /// Writes `result` as `claimed`'s, if its lease's token is still the current one; `false` (and the refusal
    /// counted) when another claim has taken the problem since: the result is then dropped. With `next`, claims
    /// that worker's next problem in the same round trip.
    public func complete(
        _ claimed: ClaimedProblem, result: BenchResult, next: (worker: String, lease: Duration)? = nil
    ) async throws -> (written: Bool, next: ClaimedProblem?) {
        let encoded = try JSONDocument.encoder().string(result)
        let rows = try await client.query(
            """
            SELECT written, bench_id, position, attempts, lease_token, problem
            FROM autocoder_finish(
                \(claimed.benchID), \(claimed.position)::integer, \(claimed.token), \(encoded)::jsonb,
                \(next?.worker)::text, \(next?.lease.seconds)::double precision)
            """, logger: logger)
        for try await (written, benchID, position, attempt, token, problem) in rows.decode(
            (Bool, String?, Int?, Int?, Int64?, String?).self)
        {
            guard let benchID, let position, let attempt, let token, let problem else { return (written, nil) }
            return (
                written,
                try ClaimedProblem(benchID: benchID, position: position, attempt: attempt, token: token, json: problem)
            )
        }
        return (false, nil)
    }

    /// Gives `claimed` back after its worker could not run it (`reason`): queued again while it has attempts left,
    /// else failed with the reason. A claim that was never started is not `counted` as an attempt. `false` when the
    /// lease was no longer this claim's.
    public func giveBack(_ claimed: ClaimedProblem, reason: String, counted: Bool = true) async throws -> Bool {
        let uncounted = counted ? 0 : 1
        return try await returnsRow(
            """
            UPDATE autocoder_problems
            SET attempts = attempts - \(uncounted),
                state = CASE WHEN attempts - \(uncounted) >= max_attempts THEN 'failed' ELSE 'queued' END,
                failure = \(reason), lease_expires_at = NULL,
                finished_at = CASE WHEN attempts - \(uncounted) >= max_attempts THEN clock_timestamp() END
            WHERE bench_id = \(claimed.benchID) AND position = \(claimed.position)
                AND lease_token = \(claimed.token) AND state = 'running'
            RETURNING position
            """)
    }

    /// How many problems of every bench are queued or running.
    public func unfinished() async throws -> Int {
        for try await count in try await client.query(
            "SELECT count(*)::bigint FROM autocoder_problems WHERE state IN ('queued', 'running')", logger: logger
        ).decode(Int64.self) {
            return Int(count)
        }
        return 0
    }

    /// Where `benchID` stands, or every bench's when it is `nil` (newest first).
    public func status(_ benchID: String?) async throws -> [BenchStatus] {
        let query: PostgresQuery = """
            SELECT b.id, b.name, b.problems, b.max_attempts,
                count(*) FILTER (WHERE p.state = 'queued')::bigint,
                count(*) FILTER (WHERE p.state = 'running')::bigint,
                count(*) FILTER (WHERE p.state = 'done')::bigint,
                count(*) FILTER (WHERE p.state = 'failed')::bigint,
                coalesce(sum(p.attempts), 0)::bigint,
                coalesce(sum(p.refused_results), 0)::bigint,
                to_char(b.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                extract(epoch FROM (coalesce(max(p.finished_at), clock_timestamp()) - b.created_at))::float8
            FROM autocoder_benches b JOIN autocoder_problems p ON p.bench_id = b.id
            WHERE \(benchID)::text IS NULL OR b.id = \(benchID)
            GROUP BY b.id ORDER BY b.created_at DESC
            """
        var found: [BenchStatus] = []
        for try await row in try await client.query(query, logger: logger) {
            let (id, name, problems, maxAttempts, queued, running, done, failed, attempts, refused, created, seconds) =
                try row.decode(
                    (String, String, Int, Int, Int64, Int64, Int64, Int64, Int64, Int64, String, Double).self)
            found.append(
                BenchStatus(
                    benchID: id, name: name, problems: problems, queued: Int(queued), running: Int(running),
                    done: Int(done), failed: Int(failed), attempts: Int(attempts), refusedResults: Int(refused),
                    maxAttempts: maxAttempts, createdAt: created, wallSeconds: seconds))
        }
        if let benchID, found.isEmpty { throw DatabaseError.unknownBench(benchID) }
        return found
    }

    /// `benchID`'s results in its problems' order: each finished problem's, and for a failed one a result that
    /// says why; problems still queued or running are left out.
    public func results(_ benchID: String) async throws -> (status: BenchStatus, results: [BenchResult]) {
        guard let status = try await status(benchID).first else { throw DatabaseError.unknownBench(benchID) }
        var results: [BenchResult] = []
        let rows = try await client.query(
            """
            SELECT task_id, state, result::text, failure, problem -> 'task' ->> 'language'
            FROM autocoder_problems WHERE bench_id = \(benchID) AND state IN ('done', 'failed') ORDER BY position
            """, logger: logger)
        for try await (taskID, state, result, failure, language) in rows.decode(
            (String, String, String?, String?, String?).self)
        {
            if state == "done", let result {
                results.append(try JSONDocument.decoder().decode(BenchResult.self, from: result))
            } else {
                results.append(
                    BenchResult(
                        taskID: taskID, solved: false, iterations: 0, firstAttemptPassed: false, stopReason: .error,
                        outcome: .infrastructureError, message: failure ?? "failed", durationMs: 0, usage: .init(),
                        language: language.flatMap { .init(rawValue: $0) }))
            }
        }
        return (status, results)
    }

    private func returnsRow(_ query: PostgresQuery) async throws -> Bool {
        for try await _ in try await client.query(query, logger: logger) { return true }
        return false
    }
}
