import AutoCoder
import AutoCoderBench
import Foundation
import Synchronization

/// A run's events as the JSON lines of `--events` (one object per line; schema `docs/schemas/events.schema.json`,
/// version ``version``): `run.started`, then for each iteration `iteration.started`, `generation.started`,
/// `generation.delta` (only when asked: the reply's text as it streams), `generation.finished`, `test.started`, one `test.case` per test, `test.finished`, `iteration.finished`, and last
/// `run.finished` with the whole outcome, as `--json` has it. Each carries `type`, `run_id`, `seq` (from 1, no
/// gaps) and `time` (ISO 8601). Front ends that stream runs (the CLI's `--events`, a server) share it.
public final class RunEvents: Sendable {
    /// The version of the events' schema; a field is never renamed or removed within one.
    public static let version = 1

    private let runID: String
    private let write: @Sendable (Data) -> Void
    private let seq = Mutex(0)
    /// The iteration whose generation is under way, for `generation.delta`.
    private let generating = Mutex(0)

    /// Events of the run `runID`, each handed to `write` as one line (its JSON and a newline).
    public init(runID: String, write: @escaping @Sendable (Data) -> Void) {
        self.runID = runID
        self.write = write
    }

    /// `run.started`, with what the run works on.
    public func started(task: CodingTask, maxIterations: Int, provider: String?, model: String?) {
        emit(
            "run.started",
            RunStarted(
                version: Self.version,
                task: .init(
                    description: task.description, language: task.language.rawValue, solutionPath: task.solutionPath,
                    tests: task.tests.map(\.path)), maxIterations: maxIterations, provider: provider, model: model))
    }

    /// The lines `event` becomes.
    public func handle(_ event: CodingEvent) {
        switch event {
        case .started(.test, let iteration):
            emit("test.started", Iteration(iteration: iteration))
        case .started(let kind, let iteration):
            generating.withLock { $0 = iteration }
            emit("iteration.started", IterationStarted(iteration: iteration, kind: kind))
            emit("generation.started", Iteration(iteration: iteration))
        case .generated(let call):
            emit(
                "generation.finished",
                GenerationFinished(
                    iteration: call.iteration, durationMs: call.latencyMs, usage: call.attempt.usage,
                    files: call.attempt.files.map(\.path), problem: call.attempt.problem))
        case .tested(let result, let iteration):
            for test in result.tests {
                emit(
                    "test.case",
                    TestCaseEvent(iteration: iteration, name: test.name, outcome: test.outcome, message: test.message))
            }
            emit(
                "test.finished",
                TestFinished(
                    iteration: iteration, outcome: result.outcome, numPassed: result.numPassed,
                    numFailed: result.numFailed, numErrors: result.numErrors, numSkipped: result.numSkipped,
                    durationMs: result.durationMs, message: result.message))
        case .stepFinished(let step):
            emit(
                "iteration.finished",
                IterationFinished(
                    iteration: step.iteration, kind: step.type, outcome: step.testResult?.outcome,
                    durationMs: step.durationMs, generationMs: step.generationMs, files: step.files.map(\.path)))
        case .finished(let outcome):
            emit("run.finished", RunFinished(outcome: outcome))
        }
    }

    /// `bench.finished`: a benchmark's summary, as `bench --json` prints it (under the bench's own id).
    public func benchFinished(_ summary: BenchSummary) {
        emit("bench.finished", BenchFinished(summary: summary))
    }

    /// `generation.delta`: a piece of the reply's text as the model streams it.
    public func delta(_ text: String) {
        emit("generation.delta", GenerationDelta(iteration: generating.withLock { $0 }, text: text))
    }

    private func emit(_ type: String, _ payload: some Encodable) {
        let number = seq.withLock { value in
            value += 1
            return value
        }
        let envelope = Envelope(type: type, runID: runID, seq: number, time: Date(), payload: payload)
        let encoder = JSONDocument.encoder(
            dates: .custom { date, encoder in
                var container = encoder.singleValueContainer()
                try container.encode(Self.timestamp(date))
            })
        guard let data = try? encoder.encode(envelope) else { return }
        write(data + Data("\n".utf8))
    }

    /// ISO 8601 with milliseconds, in UTC.
    static func timestamp(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}

/// The fields every event has, then its own.
struct Envelope<Payload: Encodable>: Encodable {
    var type: String
    var runID: String
    var seq: Int
    var time: Date
    var payload: Payload

    enum CodingKeys: CodingKey { case type, runID, seq, time }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(runID, forKey: .runID)
        try container.encode(seq, forKey: .seq)
        try container.encode(time, forKey: .time)
        try payload.encode(to: encoder)
    }
}
