import AutoCoder
import AutoCoderExecution
import AutoCoderStore
import AutoCoderTestSupport
import Foundation

let storeTask = CodingTask(
    description: "Write a\nsecond line", tests: [CodeFile(path: "test_x.py", content: "def test_a(): pass\n")])

/// Runs the loop with scripted replies, recording into `store`; returns the outcome.
@discardableResult
func recordRun(
    in store: RunStore, replies: [String] = ["wrong", "```python\nCORRECT = 1\n```"], runID: String = RunOutcome.newID()
) async throws -> RunOutcome {
    try store.begin(runID: runID, task: storeTask, settings: RunSettings(provider: "script", maxIterations: 5))
    let coder = AutonomousCoder(
        generator: ScriptedGenerator(replies: replies, languages: Toolchains.languages), executor: StubExecutor())
    let events = EventLog()
    let outcome = await coder.solve(storeTask, runID: runID) { events.append($0) }
    for event in events.all { try store.record(event, runID: runID) }
    return outcome
}

final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [CodingEvent] = []

    func append(_ event: CodingEvent) {
        lock.withLock { events.append(event) }
    }

    var all: [CodingEvent] { lock.withLock { events } }
}

func temporaryStorePath(_ directory: TemporaryDirectory) -> String {
    directory.url.appendingPathComponent("runs.sqlite").path
}
