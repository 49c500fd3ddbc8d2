import AutoCoder
import AutoCoderApp
import AutoCoderBench
import AutoCoderPostgres
import Foundation
import Synchronization

/// A worker: `jobs` loops that each claim a problem, run it as a local bench would (renewing the lease meanwhile),
/// and write its result under the lease's fencing token, until stopped or, with `exitWhenIdle`, until no problem is
/// queued or running anywhere. The database may go away at any time: every call retries with backoff.
struct Worker: Sendable {
    let queue: BenchQueue
    let name: String
    let jobs: Int
    let lease: Duration
    let exitWhenIdle: Bool
    /// The longest wait between two claims when there is nothing to claim.
    let poll: Duration
    /// Where the runs of benches that record go.
    let store: String?
    let harnesses = Harnesses()
    let tally = Tally()

    /// Works until cancelled or idle; throws the database's error when it refuses for good (a login refused, a
    /// statement failed), after the problems in progress are given back.
    func run() async throws {
        guard try await reconnecting({ try await queue.open() }) != nil else { return }
        say("\(name) working, \(jobs) at a time, leases of \(lease.seconds) s")
        defer { say(tally.summary(name)) }
        do {
            try await withThrowingDiscardingTaskGroup { group in
                for _ in 0..<jobs { group.addTask { try await loop() } }
            }
        } catch {
            await harnesses.close()
            throw error
        }
        await harnesses.close()
    }

    private func loop() async throws {
        // With nothing to claim, the worker asks again after 50 ms, doubling to `poll`, and at once after work: an
        // idle fleet costs the database little, and a worker waiting for another's last problem stops soon after it.
        var idle = Duration.milliseconds(50)
        // The next problem, when writing the last result claimed it in the same round trip.
        var next: ClaimedProblem?
        while !Task.isCancelled {
            if let claimed = next {
                next = try await work(on: claimed)
                continue
            }
            let started = ContinuousClock.now
            guard let claimed = try await reconnecting({ try await queue.claim(worker: name, lease: lease) }) else {
                return
            }
            guard let claimed else {
                if exitWhenIdle, try await reconnecting({ try await queue.unfinished() }) == 0 { return }
                try? await Task.sleep(for: idle)
                idle = min(idle * 2, poll)
                continue
            }
            idle = .milliseconds(50)
            tally.add(queue: ContinuousClock.now - started)
            next = try await work(on: claimed)
        }
        // Stopped with a problem claimed but not started: it goes back at once, its claim not counted.
        if let unstarted = next {
            _ = try await Task {
                try await reconnecting(stopWhenCancelled: false) {
                    try await queue.giveBack(unstarted, reason: "worker \(name) stopped", counted: false)
                }
            }.value
        }
    }

    /// Runs `claimed` and writes its result (or gives it back); returns the next problem when it claimed one while
    /// writing.
    private func work(on claimed: ClaimedProblem) async throws -> ClaimedProblem? {
        let label = "\(claimed.problem.id) (bench \(claimed.benchID.prefix(8)), attempt \(claimed.attempt))"
        say("\(name) claimed \(label)")
        let (harnesses, problem, queue, lease, tally, store) = (harnesses, claimed.problem, queue, lease, tally, store)
        let lost = RaisedFlag()
        // Two child tasks: the run, and the heartbeat that renews the lease. Whichever ends first ends the other: a
        // finished run stops the heartbeat; a refused renewal (another worker has the problem) cancels the run.
        let outcome = await withTaskGroup(of: Result<BenchResult, any Error>?.self) { group in
            group.addTask {
                do {
                    let harness = try await harnesses.harness(
                        for: claimed.benchID, queue: queue, jobs: jobs, store: store)
                    return .success(try await harness.result(of: problem))
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: lease / 3)
                    guard !Task.isCancelled else { return nil }
                    let started = ContinuousClock.now
                    // A failed renewal (the database away) is tried again at the next beat; a refused one ends it.
                    if (try? await queue.renew(claimed, lease: lease)) == false {
                        lost.raise()
                        return nil
                    }
                    tally.add(queue: ContinuousClock.now - started)
                }
                return nil
            }
            var outcome: Result<BenchResult, any Error> = .failure(CancellationError())
            while let ended = await group.next() {
                if let ended { outcome = ended }
                group.cancelAll()
            }
            return outcome
        }
        if lost.isRaised { say("\(name) lost the lease of \(label): another worker has it now") }
        let started = ContinuousClock.now
        switch outcome {
        // A run that ended on its own is written even when the worker is stopping; a cancelled one is given back.
        case .success(let result) where result.stopReason != .cancelled || lost.isRaised:
            let following = Task.isCancelled ? nil : (worker: name, lease: lease)
            guard
                let (written, next) = try await reconnecting({
                    try await queue.complete(claimed, result: result, next: following)
                })
            else {
                return nil
            }
            tally.add(queue: ContinuousClock.now - started)
            tally.finished(written: written)
            say(
                written
                    ? "\(name) finished \(label): \(result.solved ? "solved" : "not solved")"
                    : "\(name) finished \(label) late: its result is refused (the lease's token is no longer current)")
            return next
        case .success, .failure:
            let reason =
                Task.isCancelled
                ? "worker \(name) stopped" : "worker \(name) could not run it: \(Self.describing(outcome))"
            // Given back without the current task's cancellation, so that a stopping worker still returns it.
            let returned = try await Task {
                try await reconnecting(stopWhenCancelled: false) { try await queue.giveBack(claimed, reason: reason) }
            }.value
            say("\(name) gave back \(label): \(reason)\(returned == true ? "" : " (its lease had already gone)")")
            return nil
        }
    }

    /// `body`'s value, tried again with backoff (0.1 s doubling to 5 s) while the database cannot be reached; `nil`
    /// once the task is cancelled (or, when `stopWhenCancelled` is false, after 10 s of trying). An error that trying
    /// again cannot mend (see ``DatabaseError/isTransient(_:)``) is thrown.
    func reconnecting<T: Sendable>(
        stopWhenCancelled: Bool = true, _ body: @Sendable () async throws -> T
    ) async throws -> T? {
        var delay = Duration.milliseconds(100)
        var down = false
        // A stopping worker gives problems back for 10 s at most; past that their leases run out instead.
        let deadline = stopWhenCancelled ? nil : ContinuousClock.now + .seconds(10)
        while !(stopWhenCancelled && Task.isCancelled) {
            do {
                let started = ContinuousClock.now
                let value = try await body()
                // The client's pool waits out a short outage (a restart) itself, reconnecting with its own backoff.
                let waited = ContinuousClock.now - started
                if down || waited > .seconds(1) {
                    say(
                        "\(name): the database answers again"
                            + (down ? "" : String(format: " (after %.1f s waiting for it)", waited.seconds)))
                }
                return value
            } catch {
                if stopWhenCancelled && Task.isCancelled { return nil }
                guard DatabaseError.isTransient(error) else { throw error }
                if let deadline, ContinuousClock.now > deadline { return nil }
                if !down {
                    say("\(name): the database does not answer (\(DatabaseError.describing(error))); retrying")
                    down = true
                }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
        return nil
    }

    private static func describing(_ outcome: Result<BenchResult, any Error>) -> String {
        guard case .failure(let error) = outcome else { return "cancelled" }
        if let error = error as? SessionError { return error.message }
        return DatabaseError.describing(error)
    }
}

/// One harness per bench a worker takes problems of, opened from the bench's plan on its first problem.
actor Harnesses {
    private var opened: [String: Task<BenchHarness, any Error>] = [:]

    func harness(for benchID: String, queue: BenchQueue, jobs: Int, store: String?) async throws -> BenchHarness {
        if let opening = opened[benchID] { return try await opening.value }
        let opening = Task {
            let plan = try JSONDocument.decoder().decode(BenchPlan.self, from: try await queue.plan(of: benchID))
            var configuration = plan.configuration
            // The worker's store, not the path of the machine that enqueued the bench.
            configuration.store = store
            let session = Session(configuration, notice: { say($0) })
            return try await session.benchHarness(plan.bench, languages: Set(plan.languages), jobs: jobs)
        }
        opened[benchID] = opening
        do {
            return try await opening.value
        } catch {
            opened[benchID] = nil
            throw error
        }
    }

    func close() async {
        for opening in opened.values { await (try? opening.value)?.close() }
        opened = [:]
    }
}

/// What a worker did, for its last line: problems finished and refused, and the time spent on the queue.
final class Tally: Sendable {
    private let counts = Mutex<(finished: Int, refused: Int, queue: Duration)>((0, 0, .zero))

    func add(queue time: Duration) { counts.withLock { $0.queue += time } }

    func finished(written: Bool) {
        counts.withLock {
            if written { $0.finished += 1 } else { $0.refused += 1 }
        }
    }

    func summary(_ name: String) -> String {
        let (finished, refused, queue) = counts.withLock { $0 }
        let perProblem = finished + refused == 0 ? 0 : queue.seconds * 1000 / Double(finished + refused)
        return "\(name) stopped: \(finished) problem(s) finished, \(refused) result(s) refused; "
            + String(format: "queue time %.2f ms per problem (claim, lease renewals, result)", perProblem)
    }
}

/// A flag one task raises and another reads.
final class RaisedFlag: Sendable {
    private let raised = Mutex(false)
    func raise() { raised.withLock { $0 = true } }
    var isRaised: Bool { raised.withLock { $0 } }
}

/// A line on stderr.
func say(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
