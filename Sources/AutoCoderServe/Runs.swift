import AutoCoder
import AutoCoderApp
import AutoCoderStore
import Foundation
import Synchronization

/// The runs this server started: each one's event lines so far (for a late joiner of its stream), its listeners,
/// and its task (to cancel it). At most `maxRuns` run at once and `queue` more wait; past that, `start` says no.
final class Runs: Sendable {
    final class Live: Sendable {
        let task: Mutex<Task<Void, Never>?> = Mutex(nil)
        let state = Mutex(State())

        struct State {
            var lines: [Data] = []
            var finished = false
            var listeners: [UUID: AsyncStream<Data>.Continuation] = [:]
        }

        func append(_ line: Data) {
            let listeners = state.withLock { state in
                state.lines.append(line)
                return Array(state.listeners.values)
            }
            for listener in listeners { listener.yield(line) }
        }

        var isFinished: Bool { state.withLock { $0.finished } }

        func finish() {
            let listeners = state.withLock { state in
                state.finished = true
                return Array(state.listeners.values)
            }
            for listener in listeners { listener.finish() }
        }

        /// The lines after the first `skip`, then each new one until the run ends.
        func stream(skipping skip: Int) -> AsyncStream<Data> {
            let (stream, continuation) = AsyncStream.makeStream(of: Data.self)
            let id = UUID()
            state.withLock { state in
                for line in state.lines.dropFirst(skip) { continuation.yield(line) }
                if state.finished {
                    continuation.finish()
                } else {
                    state.listeners[id] = continuation
                }
            }
            continuation.onTermination = { [weak self] _ in
                _ = self?.state.withLock { $0.listeners.removeValue(forKey: id) }
            }
            return stream
        }
    }

    private let live = Mutex<[String: Live]>([:])
    private let slots: Slots

    init(maxRuns: Int, queue: Int) {
        slots = Slots(running: maxRuns, waiting: queue)
    }

    func run(_ id: String) -> Live? {
        live.withLock { $0[id] }
    }

    /// On shutdown: lets the runs go on for `grace`, then cancels the ones still going and marks them
    /// `interrupted` in `store`, and waits for them to end.
    /// How many runs have not finished.
    var active: Int { live.withLock { $0.values.filter { !$0.isFinished }.count } }

    func shutdown(grace: Duration, store: String) async {
        let all = live.withLock { Array($0) }
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline, all.contains(where: { !$0.value.isFinished }) {
            try? await Task.sleep(for: .milliseconds(100))
        }
        let unfinished = all.filter { !$0.value.isFinished }
        for (_, run) in unfinished { run.task.withLock { $0?.cancel() } }
        for (_, run) in unfinished { await run.task.withLock { $0 }?.value }
        guard !unfinished.isEmpty, let opened = try? RunStore(path: store) else { return }
        for (id, _) in unfinished { try? opened.markInterrupted(id) }
    }

    /// Starts `run` (after it waits for a slot), or returns `nil` when the queue is full.
    /// Starts `run` when a slot is free (or one in line is); `finished` is called once it has ended either way.
    func start(_ run: SessionRun, finished: @escaping @Sendable () -> Void = {}) -> Live? {
        guard slots.enter() else { return nil }
        let entry = Live()
        live.withLock { $0[run.runID] = entry }
        let events = RunEvents(runID: run.runID) { entry.append($0) }
        events.started(
            task: run.task, maxIterations: run.maxIterations, provider: run.settings.provider,
            model: run.settings.model)
        let slots = slots
        let task = Task {
            await slots.waitForTurn()
            if !Task.isCancelled {
                _ = await run.outcome(onEvent: { events.handle($0) })
            } else {
                await run.close()
            }
            slots.leave()
            entry.finish()
            finished()
        }
        entry.task.withLock { $0 = task }
        return entry
    }
}

/// The run slots: `running` at once, `waiting` more in line.
final class Slots: Sendable {
    private let state: Mutex<(admitted: Int, running: Int, waiters: [CheckedContinuation<Void, Never>])>
    private let capacity: Int
    private let limit: Int

    init(running: Int, waiting: Int) {
        capacity = running
        limit = running + waiting
        state = Mutex((0, 0, []))
    }

    /// Admits one more run, or `false` when as many as the queue holds are in already.
    func enter() -> Bool {
        state.withLock { state in
            guard state.admitted < limit else { return false }
            state.admitted += 1
            return true
        }
    }

    func waitForTurn() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.running < capacity {
                    state.running += 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.admitted -= 1
            if state.waiters.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
