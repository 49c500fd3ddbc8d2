import AutoCoder
import Foundation
import GRDB

extension RunStore {
    /// The most recent runs, newest first, after skipping `offset` of them; each with its last test run's counts.
    public func runs(limit: Int = 50, offset: Int = 0) throws -> [RunSummary] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT run.*,
                        (SELECT num_passed FROM test_result WHERE run_id = run.id ORDER BY iteration DESC LIMIT 1)
                            AS tests_passed,
                        (SELECT num_passed + num_failed + num_errors + num_skipped FROM test_result
                            WHERE run_id = run.id ORDER BY iteration DESC LIMIT 1) AS tests_total
                    FROM run ORDER BY started_at DESC LIMIT ? OFFSET ?
                    """, arguments: [limit, offset]
            ).map(Self.summary)
        }
    }

    /// The full id of the run whose id is or starts with `idOrPrefix` (at least 4 characters).
    /// - Throws: ``RunStoreError`` when no run or several runs match.
    public func resolve(_ idOrPrefix: String) throws -> String {
        let key = idOrPrefix.lowercased()
        guard key.count >= 4 else {
            throw RunStoreError(.unknownRun, "'\(idOrPrefix)' is too short: give at least 4 characters of a run id.")
        }
        let matches = try read { db in
            try String.fetchAll(
                db, sql: "SELECT id FROM run WHERE substr(id, 1, ?) = ? LIMIT 3", arguments: [key.count, key])
        }
        switch matches.count {
        case 0:
            throw RunStoreError(.unknownRun, "No run '\(idOrPrefix)' in \(path); 'autocoder runs list' shows the runs.")
        case 1:
            return matches[0]
        default:
            throw RunStoreError(.ambiguousRun, "'\(idOrPrefix)' matches several runs; give more of the id.")
        }
    }

    /// Everything recorded of a run.
    public func run(_ idOrPrefix: String) throws -> StoredRun {
        let id = try resolve(idOrPrefix)
        return try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id]) else {
                throw RunStoreError(.unknownRun, "No run '\(idOrPrefix)' in \(path).")
            }
            let calls = try Row.fetchAll(
                db, sql: "SELECT * FROM generator_call WHERE run_id = ? ORDER BY iteration", arguments: [id]
            ).map(Self.call)
            let cases = Dictionary(
                grouping: try Row.fetchAll(
                    db, sql: "SELECT * FROM test_case WHERE run_id = ? ORDER BY iteration, position", arguments: [id]),
                by: { $0["iteration"] as Int })
            let results = Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(
                    db, sql: "SELECT * FROM test_result WHERE run_id = ?", arguments: [id]
                )
                .map { row in (row["iteration"] as Int, try Self.testResult(row, cases: cases[row["iteration"]] ?? []))
                })
            let steps = try Row.fetchAll(
                db, sql: "SELECT * FROM step WHERE run_id = ? ORDER BY iteration", arguments: [id]
            )
            .map { row in
                CodingStep(
                    type: try Self.decode(StepType.self, raw: row["type"]), iteration: row["iteration"],
                    files: try Self.decode([CodeFile].self, json: row["files_json"]),
                    testResult: results[row["iteration"]], durationMs: row["duration_ms"],
                    generationMs: row["generation_ms"],
                    usage: calls.first { $0.iteration == row["iteration"] }?.attempt.usage,
                    reply: calls.first { $0.iteration == row["iteration"] }?.attempt.reply)
            }
            return StoredRun(
                summary: try Self.summary(row), task: try Self.decode(CodingTask.self, json: row["task_json"]),
                settings: try Self.decode(RunSettings.self, json: row["settings_json"]), calls: calls, steps: steps)
        }
    }

    /// Deletes a run and everything recorded of it; returns its full id.
    @discardableResult
    public func delete(_ idOrPrefix: String) throws -> String {
        let id = try resolve(idOrPrefix)
        try write { db in try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [id]) }
        return id
    }

    /// Whether SQLite finds the database consistent (`PRAGMA integrity_check`).
    public func isConsistent() throws -> Bool {
        try read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok" }
    }

    // MARK: - Rows to values

    private static func summary(_ row: Row) throws -> RunSummary {
        RunSummary(
            id: row["id"], startedAt: Date(timeIntervalSince1970: row["started_at"]),
            finishedAt: (row["finished_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            status: try decode(RunStatus.self, raw: row["status"]), taskTitle: row["task_title"],
            provider: row["provider"], model: row["model"], replayOf: row["replay_of"], solved: row["solved"],
            stopReason: (row["stop_reason"] as String?).flatMap(StopReason.init(rawValue:)),
            iterations: row["iterations"],
            promptTokens: row["prompt_tokens"], completionTokens: row["completion_tokens"], costUSD: row["cost_usd"],
            error: row["error"], durationMs: row["duration_ms"], testsPassed: row["tests_passed"],
            testsTotal: row["tests_total"])
    }

    private static func call(_ row: Row) throws -> GeneratorCall {
        let prompt: Int? = row["prompt_tokens"]
        let completion: Int? = row["completion_tokens"]
        let usage =
            prompt == nil && completion == nil
            ? nil
            : Usage(
                promptTokens: prompt ?? 0, completionTokens: completion ?? 0, costUSD: row["cost_usd"],
                estimated: row["usage_estimated"] ?? false)
        let files = try decode([CodeFile].self, json: row["files_json"])
        let reply: String? = row["reply"]
        return GeneratorCall(
            type: try decode(StepType.self, raw: row["type"]), iteration: row["iteration"], feedback: row["feedback"],
            attempt: Attempt(
                files: files, reply: reply, usage: usage, problem: row["problem"],
                testsInconsistent: files.isEmpty ? reply.flatMap(ReplyParser.inconsistencyClaim(in:)) : nil),
            latencyMs: row["latency_ms"])
    }

    private static func testResult(_ row: Row, cases: [Row]) throws -> TestResult {
        TestResult(
            outcome: try decode(TestOutcome.self, raw: row["outcome"]),
            tests: try cases.map { test in
                TestCase(
                    name: test["name"], suite: test["suite"],
                    outcome: try decode(TestCase.Outcome.self, raw: test["outcome"]),
                    message: test["message"], details: test["details"])
            },
            exitCode: (row["exit_code"] as Int?).map(Int32.init), durationMs: row["duration_ms"], output: row["output"],
            message: row["message"],
            integrity: try (row["integrity_json"] as String?).map { try decode(IntegrityReport.self, json: $0) })
    }

    static func decode<T: RawRepresentable>(_ type: T.Type, raw: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: raw) else {
            throw RunStoreError(.failed, "The run store holds an unknown \(T.self) '\(raw)'.")
        }
        return value
    }

    static func decode<T: Decodable>(_ type: T.Type, json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    /// Runs `body` on a read connection, turning database errors into ``RunStoreError``.
    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as RunStoreError {
            throw error
        } catch {
            throw RunStoreError(.failed, "Cannot read the run store \(path): \(error)")
        }
    }
}
