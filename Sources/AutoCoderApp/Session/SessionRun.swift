import AutoCoder
import AutoCoderExecution
import AutoCoderLLM
import AutoCoderStore
import Synchronization

/// A run a ``Session`` has prepared: its task and settings, then its events as they happen and its outcome. Each
/// event is recorded in the store as it happens; when the run ends (or is closed unrun), its executor is
/// finished, and the toolchain and generator it opened are closed.
public final class SessionRun: Sendable {
    public let runID: String
    public let task: CodingTask
    /// What the store records of its set-up.
    public let settings: RunSettings
    /// The iteration limit it runs with.
    public let maxIterations: Int
    /// The store it is recorded in, or `nil`.
    public let store: RunStore?

    let coder: AutonomousCoder
    private let recorder: RunRecorder
    private let resources: Resources

    init(
        task: CodingTask, coder: AutonomousCoder, settings: RunSettings, store: RunStore?, replayOf: String? = nil,
        resources: Resources, warn: @escaping @Sendable (String) -> Void
    ) {
        self.runID = RunOutcome.newID()
        self.task = task
        self.coder = coder
        self.settings = settings
        self.maxIterations = task.maxIterations ?? coder.maxIterations
        self.store = store
        self.resources = resources
        recorder = RunRecorder(
            store: store, runID: runID, task: task, settings: settings, replayOf: replayOf, notice: warn)
    }

    /// The run's events, the last being ``CodingEvent/finished(_:)``. Ending the iteration early (or cancelling
    /// the consuming task) cancels the run.
    public func events() -> AsyncStream<CodingEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: CodingEvent.self, bufferingPolicy: .unbounded)
        let work = Task {
            _ = await outcome(onEvent: { continuation.yield($0) })
            continuation.finish()
        }
        continuation.onTermination = { _ in work.cancel() }
        return stream
    }

    /// Runs to the end, calling `onEvent` with each event as it is recorded, and returns the outcome (marked
    /// ``RunOutcome/isRecorded`` when a store keeps it).
    /// With `onText`, the model's reply text is handed to it as it streams (``GenerationRequest/replyText``).
    public func outcome(
        onEvent: @escaping @Sendable (CodingEvent) -> Void = { _ in }, onText: (@Sendable (String) -> Void)? = nil
    ) async -> RunOutcome {
        let (recorder, recorded, coder, task, runID) = (recorder, store != nil, coder, task, runID)
        var outcome = await coder.solve(task, runID: runID, replyText: onText.map(TextSink.init)) { event in
            recorder.record(event)
            guard case .finished(var outcome) = event else { return onEvent(event) }
            outcome.isRecorded = recorded
            onEvent(.finished(outcome))
        }
        outcome.isRecorded = recorded
        await close()
        return outcome
    }

    /// Finishes the executor and closes what the run opened; done once, when the run ends or is given up.
    public func close() async {
        await resources.close(executor: coder.executor)
    }
}

/// What a run opened and must close, once: its toolchain runtime and its generator.
final class Resources: Sendable {
    private let runtime: (any ToolchainRuntime)?
    private let generator: OpenGenerator?
    private let closed = Mutex(false)

    init(runtime: (any ToolchainRuntime)?, generator: OpenGenerator?) {
        self.runtime = runtime
        self.generator = generator
    }

    func close(executor: (any CodeExecutor)?) async {
        guard
            !closed.withLock({ closed in
                defer { closed = true }; return closed
            })
        else { return }
        await executor?.finish()
        await runtime?.close()
        generator?.close()
    }
}
