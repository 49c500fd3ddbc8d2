import AutoCoder
import AutoCoderProcess
import Foundation
import GRDB

extension RunStore {
    /// Records the start of a run, with status `running` and this process as its owner.
    public func begin(runID: String, task: CodingTask, settings: RunSettings, replayOf: String? = nil) throws {
        let title = task.description.split(separator: "\n").first.map { String($0.prefix(120)) } ?? ""
        let owner = ProcessIdentity.current
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO run (id, started_at, status, pid, process_start, task_title, task_json, settings_json,
                                     provider, model, replay_of)
                    VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    runID, Date().timeIntervalSince1970, owner.pid, owner.start, title, try Self.json(task),
                    try Self.json(settings), settings.provider, settings.model, replayOf,
                ])
        }
    }

    /// Records one event of a run: a generator call, a finished step with its tests, or the end of the run.
    public func record(_ event: CodingEvent, runID: String) throws {
        switch event {
        case .generated(let call):
            try write { db in
                try db.execute(
                    sql: """
                        INSERT INTO generator_call (run_id, iteration, type, feedback, reply, files_json, problem,
                            prompt_tokens, completion_tokens, cost_usd, usage_estimated, latency_ms, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        runID, call.iteration, call.type.rawValue, call.feedback, call.attempt.reply,
                        try Self.json(call.attempt.files), call.attempt.problem, call.attempt.usage?.promptTokens,
                        call.attempt.usage?.completionTokens, call.attempt.usage?.costUSD,
                        call.attempt.usage?.estimated, call.latencyMs, Date().timeIntervalSince1970,
                    ])
            }
        case .stepFinished(let step):
            try write { db in try Self.insert(step, runID: runID, db: db) }
        case .finished(let outcome):
            try write { db in
                try db.execute(
                    sql: """
                        UPDATE run SET status = 'finished', finished_at = ?, solved = ?, stop_reason = ?, iterations = ?,
                            prompt_tokens = ?, completion_tokens = ?, cost_usd = ?, error = ?, duration_ms = ?
                        WHERE id = ?
                        """,
                    arguments: [
                        Date().timeIntervalSince1970, outcome.solved, outcome.stopReason.rawValue, outcome.iterations,
                        outcome.usage.promptTokens, outcome.usage.completionTokens, outcome.usage.costUSD,
                        outcome.error, outcome.durationMs, runID,
                    ])
            }
        case .started, .tested:
            break
        }
    }

    private static func insert(_ step: CodingStep, runID: String, db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO step (run_id, iteration, type, files_json, duration_ms, generation_ms)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                runID, step.iteration, step.type.rawValue, try json(step.files), step.durationMs, step.generationMs,
            ])
        try db.execute(sql: "UPDATE run SET iterations = ? WHERE id = ?", arguments: [step.iteration, runID])
        guard let result = step.testResult else { return }
        try db.execute(
            sql: """
                INSERT INTO test_result (run_id, iteration, outcome, num_passed, num_failed, num_errors, num_skipped,
                    exit_code, duration_ms, output, message, integrity_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                runID, step.iteration, result.outcome.rawValue, result.numPassed, result.numFailed, result.numErrors,
                result.numSkipped, result.exitCode, result.durationMs, result.output, result.message,
                try result.integrity.map { try Self.json($0) },
            ])
        for (position, test) in result.tests.enumerated() {
            try db.execute(
                sql: """
                    INSERT INTO test_case (run_id, iteration, position, name, suite, outcome, message, details)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    runID, step.iteration, position, test.name, test.suite, test.outcome.rawValue, test.message,
                    test.details,
                ])
        }
    }

    /// Runs `body` in a write transaction, turning database errors into ``RunStoreError``.
    func write(_ body: @Sendable (Database) throws -> Void) throws {
        do {
            try pool.write(body)
        } catch let error as RunStoreError {
            throw error
        } catch {
            throw RunStoreError(.failed, "Cannot write to the run store \(path): \(error)")
        }
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Marks the run `runID` as `interrupted`: a server that stopped before the run could end (it was cancelled at
    /// shutdown). A run already `interrupted` stays so; one that was never recorded is left alone.
    public func markInterrupted(_ runID: String) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE run SET status = 'interrupted' WHERE id = ? AND status IN ('running', 'finished')",
                arguments: [runID])
        }
    }
}
