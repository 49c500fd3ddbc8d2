import AutoCoder

extension AutonomousCoder {
    /// Runs the loop on `task` as the CLI does: each event is shown and recorded as it happens, and the executor
    /// is finished at the end.
    /// - Throws: `CancellationError` when the run ended without an outcome.
    func run(
        _ task: CodingTask, runID: String, progress: ProgressPrinter, recorder: RunRecorder
    ) async throws -> RunOutcome {
        var outcome: RunOutcome?
        for await event in events(for: task, runID: runID) {
            progress.show(event)
            recorder.record(event)
            if case .finished(let finished) = event { outcome = finished }
        }
        await executor.finish()
        guard let outcome else { throw CancellationError() }
        return outcome
    }
}
