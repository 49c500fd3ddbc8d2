import AutoCoder
import AutoCoderApp
import AutoCoderBench
import AutoCoderPostgres
import AutoCoderTestSupport
import AutoCoderWorker
import Foundation
import Testing

/// The queue's front end driven in-process, without spawning a worker: a bench enqueued, the worker's loop run
/// until the queue is idle, its status and results read back, and a second loop that finds nothing left to do.
@Suite(.serialized) struct QueueWorkerTests {
    @Test func aWorkersLoopRunsTheQueueInProcess() async throws {
        let server = try await PostgresServer()
        defer { withExtendedLifetime(server) {} }
        let directory = try TemporaryDirectory()
        for index in 0..<3 {
            let name = "set/p\(index)"
            _ = try directory.write("\(name)/task.md", "Write `value()` in `solution.py`: it returns \(index).\n")
            _ = try directory.write("\(name)/starter/solution.py", "def value():\n    return None\n")
            _ = try directory.write(
                "\(name)/tests/test_value.py",
                "from solution import value\n\ndef test_value():\n    assert value() == \(index)\n")
            let answer = index == 2 ? "None" : "\(index)"  // the last one's oracle is wrong
            _ = try directory.write("\(name)/solution/solution.py", "def value():\n    return \(answer)\n")
        }
        let bench = BenchConfiguration(dataset: directory.url.appendingPathComponent("set").path, oracle: .canonical)
        let session = Session(RunConfiguration())
        let selection = try await session.benchSelection(bench)
        let plan = BenchPlan(
            name: selection.name, configuration: session.configuration, bench: bench, maxAttempts: 2,
            problems: selection.problems)

        let queue = try QueueAccess(url: server.urlWithPassword)
        let benchID = try await queue.enqueue(plan)
        #expect(try await queue.status(benchID).first?.queued == 3)
        try await queue.work(
            jobs: 2, lease: .seconds(30), exitWhenIdle: true,
            store: directory.url.appendingPathComponent("r.sqlite").path)
        let (status, summary) = try await queue.results(benchID)
        #expect(status.finished && status.done == 3 && status.queued == 0, "\(status)")
        #expect(summary.solved == 2 && summary.results.count == 3, "\(summary.results.map(\.outcome))")
        #expect(summary.results.first { !$0.solved }?.taskID.hasSuffix("p2") == true)

        // Nothing left: the next loop ends at once; an unknown bench is bad input.
        try await queue.work(jobs: 1, lease: .seconds(30), exitWhenIdle: true, store: nil)
        await #expect(throws: DatabaseError.self) { _ = try await queue.results("no-such-bench") }
        #expect(throws: DatabaseError.self) { _ = try QueueAccess(url: "mysql://nowhere/db") }
    }
}
