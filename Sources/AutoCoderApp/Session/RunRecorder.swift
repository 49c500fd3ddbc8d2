import AutoCoder
import AutoCoderStore
import Foundation
import Synchronization

/// Writes a run's events to the store as they happen. A failure to write is said once (through `notice`) and never
/// stops the run: the code and its result matter more than their record.
final class RunRecorder: Sendable {
    private let store: RunStore?
    private let runID: String
    private let notice: @Sendable (String) -> Void
    private let failed = Mutex(false)

    /// Records the run's start; without a store, records nothing.
    init(
        store: RunStore?, runID: String, task: CodingTask, settings: RunSettings, replayOf: String? = nil,
        notice: @escaping @Sendable (String) -> Void
    ) {
        self.store = store
        self.runID = runID
        self.notice = notice
        attempt { try $0.begin(runID: runID, task: task, settings: settings, replayOf: replayOf) }
    }

    func record(_ event: CodingEvent) {
        attempt { try $0.record(event, runID: runID) }
    }

    private func attempt(_ body: (RunStore) throws -> Void) {
        guard let store, !failed.withLock({ $0 }) else { return }
        do {
            try body(store)
        } catch {
            failed.withLock { $0 = true }
            notice("autocoder: warning: this run is not being recorded: \(error.localizedDescription)")
        }
    }
}
