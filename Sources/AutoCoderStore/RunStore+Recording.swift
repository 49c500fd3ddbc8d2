import AutoCoder
import AutoCoderProcess
import Foundation

extension RunStore {
    /// Records the start of a run, with status `running` and this process as its owner.
    public func begin(runID: String, task: CodingTask, settings: RunSettings, replayOf: String? = nil) throws {
        let title = task.description.split(separator: "\n").first.map { String($0.prefix(120)) } ?? ""
        let owner = ProcessIdentity.current
        let arguments: [StoreValue] = [
            .init(runID), .init(Date().timeIntervalSince1970), .init(owner.pid), .init(owner.start),
            .init(title), .init(try Self.json(task)), .init(try Self.json(settings)), .init(settings.provider),
            .init(settings.model), .init(replayOf),
        ]
        try write { db in
            try db.execute(
                """
                INSERT INTO run (id, started_at, status, pid, process_start, task_title, task_json, settings_json,
                                 provider, model, replay_of)
                VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments)
        }
    }

    /// Records one event of a run: a generator call, a finished step with its tests, or the end of the run.
    public func record(_ event: CodingEvent, runID: String) throws {
        switch event {
        case .generated(let call):
            let usage = call.attempt.usage
            let arguments: [StoreValue] = [
                .init(runID), .init(call.iteration), .init(call.type.rawValue), .init(call.feedback),
                .init(call.attempt.reply), .init(try Self.json(call.attempt.files)), .init(call.attempt.problem),
                .init(usage?.promptTokens), .init(usage?.completionTokens), .init(usage?.costUSD),
                .init(usage?.estimated), .init(call.latencyMs), .init(Date().timeIntervalSince1970),
            ]
            try write { db in
                try db.execute(
                    """
                    INSERT INTO generator_call (run_id, iteration, type, feedback, reply, files_json, problem,
                        prompt_tokens, completion_tokens, cost_usd, usage_estimated, latency_ms, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments)
            }
        case .stepFinished(let step):
            let statements = try Self.statements(for: step, runID: runID)
            try write { db in for (sql, arguments) in statements { try db.execute(sql, arguments) } }
        case .finished(let outcome):
            // A run stopped by its user (Ctrl-C, a server's shutdown) ended, but did not finish.
            let arguments: [StoreValue] = [
                .init(outcome.stopReason == .cancelled ? "interrupted" : "finished"),
                .init(Date().timeIntervalSince1970), .init(outcome.solved), .init(outcome.stopReason.rawValue),
                .init(outcome.iterations), .init(outcome.usage.promptTokens), .init(outcome.usage.completionTokens),
                .init(outcome.usage.costUSD), .init(outcome.error), .init(outcome.durationMs), .init(runID),
            ]
            try write { db in
                try db.execute(
                    """
                    UPDATE run SET status = ?, finished_at = ?, solved = ?, stop_reason = ?, iterations = ?,
                        prompt_tokens = ?, completion_tokens = ?, cost_usd = ?, error = ?, duration_ms = ?
                    WHERE id = ?
                    """, arguments)
            }
        case .started, .tested:
            break
        }
    }

    /// The statements that record a finished step, its test result and its test cases.
    private static func statements(for step: CodingStep, runID: String) throws -> [(String, [StoreValue])] {
        var statements: [(String, [StoreValue])] = [
            (
                """
                INSERT INTO step (run_id, iteration, type, files_json, duration_ms, generation_ms)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
                [
                    .init(runID), .init(step.iteration), .init(step.type.rawValue), .init(try json(step.files)),
                    .init(step.durationMs), .init(step.generationMs),
                ]
            ),
            ("UPDATE run SET iterations = ? WHERE id = ?", [.init(step.iteration), .init(runID)]),
        ]
        guard let result = step.testResult else { return statements }
        statements.append(
            (
                """
                INSERT INTO test_result (run_id, iteration, outcome, num_passed, num_failed, num_errors, num_skipped,
                    exit_code, duration_ms, output, message, integrity_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .init(runID), .init(step.iteration), .init(result.outcome.rawValue), .init(result.numPassed),
                    .init(result.numFailed), .init(result.numErrors), .init(result.numSkipped),
                    .init(result.exitCode), .init(result.durationMs), .init(result.output), .init(result.message),
                    .init(try result.integrity.map { try json($0) }),
                ]
            ))
        for (position, test) in result.tests.enumerated() {
            statements.append(
                (
                    """
                    INSERT INTO test_case (run_id, iteration, position, name, suite, outcome, message, details)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .init(runID), .init(step.iteration), .init(position), .init(test.name), .init(test.suite),
                        .init(test.outcome.rawValue), .init(test.message), .init(test.details),
                    ]
                ))
        }
        return statements
    }

    /// Runs `body` in a write transaction, turning database errors into ``RunStoreError``.
    func write(_ body: (any StoreConnection) throws -> Void) throws {
        do {
            try database.write(body)
        } catch let error as RunStoreError {
            throw error
        } catch {
            throw RunStoreError(.failed, "Cannot write to the run store \(path): \(error)")
        }
    }

    static func json(_ value: some Encodable) throws -> String {
        try JSONDocument.encoder().string(value)
    }

    /// Marks the run `runID` as `interrupted`: a server that stopped before the run could end (it was cancelled at
    /// shutdown). A run already `interrupted` stays so; one that was never recorded is left alone.
    public func markInterrupted(_ runID: String) throws {
        try write { db in
            try db.execute(
                "UPDATE run SET status = 'interrupted' WHERE id = ? AND status IN ('running', 'finished')",
                [.init(runID)])
        }
    }
}
