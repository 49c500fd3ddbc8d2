import AutoCoder
import Foundation

extension RunStore {
    /// The most recent runs, newest first, after skipping `offset` of them; each with its last test run's counts.
    public func runs(limit: Int = 50, offset: Int = 0) throws -> [RunSummary] {
        try read { db in
            try db.rows(
                """
                SELECT run.*,
                    (SELECT num_passed FROM test_result WHERE run_id = run.id ORDER BY iteration DESC LIMIT 1)
                        AS tests_passed,
                    (SELECT num_passed + num_failed + num_errors + num_skipped FROM test_result
                        WHERE run_id = run.id ORDER BY iteration DESC LIMIT 1) AS tests_total
                FROM run ORDER BY started_at DESC LIMIT ? OFFSET ?
                """, [.init(limit), .init(offset)]
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
            try db.rows(
                "SELECT id FROM run WHERE substr(id, 1, CAST(? AS INTEGER)) = ? LIMIT 3",
                [.init(key.count), .init(key)]
            ).compactMap { $0.string("id") }
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
        let key: [StoreValue] = [.init(id)]
        return try read { db in
            guard let row = try db.rows("SELECT * FROM run WHERE id = ?", key).first else {
                throw RunStoreError(.unknownRun, "No run '\(idOrPrefix)' in \(path).")
            }
            let calls = try db.rows("SELECT * FROM generator_call WHERE run_id = ? ORDER BY iteration", key)
                .map(Self.call)
            let cases = Dictionary(
                grouping: try db.rows("SELECT * FROM test_case WHERE run_id = ? ORDER BY iteration, position", key),
                by: { $0.int("iteration") ?? 0 })
            let results = Dictionary(
                uniqueKeysWithValues: try db.rows("SELECT * FROM test_result WHERE run_id = ?", key).map { row in
                    let iteration = row.int("iteration") ?? 0
                    return (iteration, try Self.testResult(row, cases: cases[iteration] ?? []))
                })
            let steps = try db.rows("SELECT * FROM step WHERE run_id = ? ORDER BY iteration", key).map { row in
                let iteration = try row.required(row.int("iteration"), "iteration")
                let call = calls.first { $0.iteration == iteration }
                return CodingStep(
                    type: try Self.decode(StepType.self, raw: try row.required(row.string("type"), "type")),
                    iteration: iteration,
                    files: try Self.decode([CodeFile].self, json: try row.required(row.string("files_json"), "files")),
                    testResult: results[iteration], durationMs: row.int("duration_ms") ?? 0,
                    generationMs: row.int("generation_ms") ?? 0, usage: call?.attempt.usage,
                    reply: call?.attempt.reply)
            }
            return StoredRun(
                summary: try Self.summary(row),
                task: try Self.decode(CodingTask.self, json: try row.required(row.string("task_json"), "task_json")),
                settings: try Self.decode(
                    RunSettings.self, json: try row.required(row.string("settings_json"), "settings_json")),
                calls: calls, steps: steps)
        }
    }

    /// Deletes a run and everything recorded of it; returns its full id.
    @discardableResult
    public func delete(_ idOrPrefix: String) throws -> String {
        let id = try resolve(idOrPrefix)
        try write { db in try db.execute("DELETE FROM run WHERE id = ?", [.init(id)]) }
        return id
    }

    /// Whether the database finds itself consistent (SQLite's `PRAGMA integrity_check`).
    public func isConsistent() throws -> Bool {
        try database.isConsistent()
    }

    // MARK: - Rows to values

    private static func summary(_ row: StoreRow) throws -> RunSummary {
        RunSummary(
            id: try row.required(row.string("id"), "id"),
            startedAt: Date(timeIntervalSince1970: try row.required(row.double("started_at"), "started_at")),
            finishedAt: row.double("finished_at").map(Date.init(timeIntervalSince1970:)),
            status: try decode(RunStatus.self, raw: try row.required(row.string("status"), "status")),
            taskTitle: row.string("task_title") ?? "", provider: row.string("provider") ?? "",
            model: row.string("model"), replayOf: row.string("replay_of"), solved: row.bool("solved"),
            stopReason: row.string("stop_reason").flatMap(StopReason.init(rawValue:)),
            iterations: row.int("iterations") ?? 0, promptTokens: row.int("prompt_tokens") ?? 0,
            completionTokens: row.int("completion_tokens") ?? 0, costUSD: row.double("cost_usd"),
            error: row.string("error"), durationMs: row.int("duration_ms"), testsPassed: row.int("tests_passed"),
            testsTotal: row.int("tests_total"))
    }

    private static func call(_ row: StoreRow) throws -> GeneratorCall {
        let prompt = row.int("prompt_tokens")
        let completion = row.int("completion_tokens")
        let usage =
            prompt == nil && completion == nil
            ? nil
            : Usage(
                promptTokens: prompt ?? 0, completionTokens: completion ?? 0, costUSD: row.double("cost_usd"),
                estimated: row.bool("usage_estimated") ?? false)
        let files = try decode([CodeFile].self, json: try row.required(row.string("files_json"), "files_json"))
        let reply = row.string("reply")
        return GeneratorCall(
            type: try decode(StepType.self, raw: try row.required(row.string("type"), "type")),
            iteration: try row.required(row.int("iteration"), "iteration"), feedback: row.string("feedback"),
            attempt: Attempt(
                files: files, reply: reply, usage: usage, problem: row.string("problem"),
                testsInconsistent: files.isEmpty ? reply.flatMap(ReplyParser.inconsistencyClaim(in:)) : nil),
            latencyMs: row.int("latency_ms") ?? 0)
    }

    private static func testResult(_ row: StoreRow, cases: [StoreRow]) throws -> TestResult {
        TestResult(
            outcome: try decode(TestOutcome.self, raw: try row.required(row.string("outcome"), "outcome")),
            tests: try cases.map { test in
                TestCase(
                    name: test.string("name") ?? "", suite: test.string("suite"),
                    outcome: try decode(
                        TestCase.Outcome.self, raw: try test.required(test.string("outcome"), "outcome")),
                    message: test.string("message"), details: test.string("details"))
            },
            exitCode: row.int("exit_code").map(Int32.init), durationMs: row.int("duration_ms") ?? 0,
            output: row.string("output") ?? "", message: row.string("message"),
            integrity: try row.string("integrity_json").map { try decode(IntegrityReport.self, json: $0) })
    }

    static func decode<T: RawRepresentable>(_ type: T.Type, raw: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: raw) else {
            throw RunStoreError(.failed, "The run store holds an unknown \(T.self) '\(raw)'.")
        }
        return value
    }

    static func decode<T: Decodable>(_ type: T.Type, json: String) throws -> T {
        try JSONDocument.decoder().decode(T.self, from: json)
    }

    /// Runs `body` on a read connection, turning database errors into ``RunStoreError``.
    func read<T>(_ body: (any StoreConnection) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch let error as RunStoreError {
            throw error
        } catch {
            throw RunStoreError(.failed, "Cannot read the run store \(path): \(error)")
        }
    }
}
