import Foundation
import Logging

extension AutonomousCoder {
    /// Runs the loop on `task` until its tests pass or a stop condition is hit.
    ///
    /// It never throws: generator and executor failures end the run with ``StopReason/error``, and cancelling
    /// the calling task ends it with ``StopReason/cancelled``; the steps done so far are kept either way.
    /// - Parameters:
    ///   - runID: The run's identifier (a fresh one by default), for callers that record the run under it.
    ///   - onEvent: Called with each ``CodingEvent`` as it happens, the last being ``CodingEvent/finished(_:)``.
    public func solve(
        _ task: CodingTask, runID: String = RunOutcome.newID(), onEvent: @Sendable (CodingEvent) -> Void = { _ in }
    ) async -> RunOutcome {
        var run = RunRecord(runID: runID)
        let outcome = await loop(task, run: &run, onEvent: onEvent)
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

    private func loop(_ task: CodingTask, run: inout RunRecord, onEvent: (CodingEvent) -> Void) async -> RunOutcome {
        let limit = task.maxIterations ?? maxIterations
        guard limit >= 1 else {
            return run.finish(.error, error: "The iteration limit must be at least 1 (it is \(limit)).")
        }
        var previous: (attempt: Attempt, result: TestResult)?
        for iteration in 1...limit {
            if Task.isCancelled { return run.finish(.cancelled) }
            let type: StepType = previous == nil ? .generate : .fix
            onEvent(.started(type, iteration: iteration))
            let stepStart = ContinuousClock.now

            var attempt: Attempt
            let feedback = previous.map {
                Feedback(testResult: $0.result, text: feedbackFormatter.render($0.result))
            }
            do {
                if let previous, let feedback {
                    attempt = try await generator.fix(task, previous: previous.attempt, feedback: feedback)
                } else {
                    attempt = try await generator.generate(task)
                }
            } catch {
                if Task.isCancelled || error is CancellationError { return run.finish(.cancelled) }
                return run.finish(.error, error: "The generator failed: \(describe(error))")
            }
            let generationMs = stepStart.millisecondsElapsed
            onEvent(
                .generated(
                    GeneratorCall(
                        type: type, iteration: iteration, feedback: feedback?.text, attempt: attempt,
                        latencyMs: generationMs)))
            if previous != nil { attempt.files = run.testedFiles.overlaid(with: attempt.files) }
            if let usage = attempt.usage { run.usage = run.usage + usage }

            onEvent(.started(.test, iteration: iteration))
            let result: TestResult
            let problem = AttemptCheck.problem(with: attempt, for: task)
            if let problem {
                logger.debug("attempt rejected before testing", metadata: ["iteration": "\(iteration)"])
                result = AttemptCheck.rejectedResult(problem)
            } else {
                do {
                    result = try await executor.test(attempt.files, for: task)
                } catch {
                    if Task.isCancelled || error is CancellationError { return run.finish(.cancelled) }
                    return run.finish(.error, error: "The executor failed: \(describe(error))")
                }
            }
            if Task.isCancelled { return run.finish(.cancelled) }
            onEvent(.tested(result, iteration: iteration))

            let step = CodingStep(
                type: type, iteration: iteration, files: attempt.files, testResult: result,
                durationMs: stepStart.millisecondsElapsed, generationMs: generationMs,
                usage: attempt.usage, reply: attempt.reply)
            run.record(step, tested: problem == nil)
            onEvent(.stepFinished(step))

            if result.outcome == .infrastructureError {
                return run.finish(.error, error: "The tests could not be run: \(result.message ?? result.summary)")
            }
            if result.passed { return run.finish(.testsPassed) }
            previous = (attempt, result)
        }
        return run.finish(.maxIterations)
    }

    private func describe(_ error: any Error) -> String {
        if let error = error as? any LocalizedError, let text = error.errorDescription { return text }
        return String(describing: error)
    }
}

/// The state of one run while it is in progress.
private struct RunRecord {
    let runID: String
    let start = ContinuousClock.now
    var steps: [CodingStep] = []
    var usage = Usage.zero
    /// The last step whose attempt reached the executor: a rejected attempt never becomes the base of the next
    /// fix, nor the final files.
    var lastTested: CodingStep?

    /// The files of the last tested attempt, on which a fix's files are laid.
    var testedFiles: [CodeFile] { lastTested?.files ?? [] }

    mutating func record(_ step: CodingStep, tested: Bool) {
        steps.append(step)
        if tested { lastTested = step }
    }

    func finish(_ reason: StopReason, error: String? = nil) -> RunOutcome {
        let last = lastTested ?? steps.last
        return RunOutcome(
            runID: runID,
            solved: reason == .testsPassed,
            stopReason: reason,
            iterations: steps.count,
            steps: steps,
            finalFiles: lastTested?.files ?? [],
            testResult: last?.testResult,
            usage: usage,
            error: error,
            durationMs: start.millisecondsElapsed)
    }
}

extension ContinuousClock.Instant {
    /// Whole milliseconds from this instant until now.
    var millisecondsElapsed: Int {
        let elapsed = ContinuousClock.now - self
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }
}
