import Foundation
import Synchronization

extension AutonomousCoder {
    /// Runs the loop on `task` until its tests pass or a stop condition is hit.
    ///
    /// It never throws: generator and executor failures end the run with ``StopReason/error``, and cancelling
    /// the calling task ends it with ``StopReason/cancelled``; the steps done so far are kept either way. With a
    /// time budget (``LoopPolicy/maxTime``), work in flight when it runs out is cancelled and the run stops with
    /// ``StopReason/timeout``.
    /// - Parameters:
    ///   - runID: The run's identifier (a fresh one by default), for callers that record the run under it.
    ///   - replyText: Where a generator that streams hands its replies' text as it comes (every request of the run
    ///     carries it, ``GenerationRequest/replyText``); `nil` for none.
    ///   - onEvent: Called with each ``CodingEvent`` as it happens, the last being ``CodingEvent/finished(_:)``.
    public func solve(
        _ task: CodingTask, runID: String = RunOutcome.newID(), replyText: TextSink? = nil,
        onEvent: @escaping @Sendable (CodingEvent) -> Void = { _ in }
    ) async -> RunOutcome {
        let deadline = DeadlineFlag()
        let outcome: RunOutcome
        if let maxTime = policy.maxTime {
            outcome = await withTaskGroup(of: RunOutcome?.self) { group in
                group.addTask {
                    await self.run(task, runID: runID, replyText: replyText, deadline: deadline, onEvent: onEvent)
                }
                group.addTask {
                    try? await Task.sleep(for: maxTime)
                    if !Task.isCancelled { deadline.hit() }
                    return nil
                }
                var finished: RunOutcome?
                for await value in group {
                    group.cancelAll()
                    if let value {
                        finished = value
                        break
                    }
                }
                return finished ?? RunState(runID: runID).outcome(.cancelled)
            }
        } else {
            outcome = await run(task, runID: runID, replyText: replyText, deadline: deadline, onEvent: onEvent)
        }
        onEvent(.finished(outcome))
        return outcome
    }

    /// Runs the loop on `task` and publishes its events as a stream that ends with ``CodingEvent/finished(_:)``.
    ///
    /// Ending the iteration early (or cancelling the consuming task) cancels the run.
    public func events(for task: CodingTask, runID: String = RunOutcome.newID()) -> AsyncStream<CodingEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: CodingEvent.self, bufferingPolicy: .unbounded)
        let work = Task {
            _ = await solve(task, runID: runID) { continuation.yield($0) }
            continuation.finish()
        }
        continuation.onTermination = { _ in work.cancel() }
        return stream
    }

    private func run(
        _ task: CodingTask, runID: String, replyText: TextSink?, deadline: DeadlineFlag,
        onEvent: @escaping @Sendable (CodingEvent) -> Void
    ) async -> RunOutcome {
        var state = RunState(runID: runID, replyText: replyText)
        var outcome = await loop(task, state: &state, deadline: deadline, onEvent: onEvent)
        if !task.holdoutTests.isEmpty, !outcome.finalFiles.isEmpty, !Task.isCancelled {
            if let held = try? await executor.test(outcome.finalFiles, for: task.holdout) {
                outcome.holdoutResult = held
                outcome.overfit = outcome.solved && !held.passed
            }
        }
        return outcome
    }

    func describe(_ error: any Error) -> String {
        if let error = error as? any LocalizedError, let text = error.errorDescription { return text }
        return String(describing: error)
    }
}

/// Whether a run's time budget ran out (so a cancellation means `timeout`, not `cancelled`).
final class DeadlineFlag: Sendable {
    private let state = Mutex(false)

    func hit() {
        state.withLock { $0 = true }
    }

    var isHit: Bool { state.withLock { $0 } }
}

extension ContinuousClock.Instant {
    /// Whole milliseconds from this instant until now.
    var millisecondsElapsed: Int {
        let elapsed = ContinuousClock.now - self
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }
}
