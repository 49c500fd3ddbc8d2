import Foundation
import Logging

/// Warm pytest workers, per interpreter and kind: sandboxed workers (in a PID namespace of their own) serve
/// sandboxed runs, plain workers the others. A pool is an object with a lifetime, not a global: the Python
/// toolchain's runtime owns one for a session (a `solve`, a `bench`), and ``shutdown()`` (or the pool's end)
/// stops its workers.
///
/// A run takes an idle worker when there is one, and otherwise runs cold: it never waits. From the second run
/// on, a run that finds no idle worker starts one in the background (one start at a time, at most
/// ``maxWorkers`` alive), so a process that runs pytest once never pays for a worker, and a loop or a benchmark
/// is warm after its first runs. A worker that died or misbehaved is dropped.
///
/// When no worker can start for an interpreter (no pytest, a broken Python, the script missing), or the
/// workers cannot create namespaces here, the reason is kept and said once, and runs go cold.
public actor PytestWorkerPool {
    public init() {}

    /// A kind of worker: its interpreter, and whether it serves sandboxed runs.
    struct Kind: Hashable, Sendable {
        var interpreter: String
        var sandboxed: Bool
    }

    private var idle: [Kind: [PytestWorker]] = [:]
    private var alive = 0
    private var starting: Set<Kind> = []
    private var demand: [Kind: Int] = [:]
    private var unavailable: [String: String] = [:]
    private var isolationProblem: String?
    private var said: Set<String> = []
    private var closed = false
    private let logger = Logger(label: "autocoder.pytest")
    /// The most workers alive at once in this process: twice the cores, at least 4.
    let maxWorkers = max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)

    /// An idle worker of `kind`, or `nil`: the run then goes cold (and a worker may be starting for the next runs).
    func acquire(_ kind: Kind) -> PytestWorker? {
        if closed { return nil }
        if unavailable[kind.interpreter] != nil || (kind.sandboxed && isolationProblem != nil) { return nil }
        demand[kind, default: 0] += 1
        while let worker = idle[kind]?.popLast() {
            if worker.isAlive { return worker }
            alive -= 1
        }
        if demand[kind, default: 0] >= 2, !starting.contains(kind), alive < maxWorkers {
            starting.insert(kind)
            alive += 1
            Task {
                await self.startWorker(kind)
                await self.startFinished(kind)
            }
        }
        return nil
    }

    /// Starts workers now, until `count` are idle in the pool, and waits for them; `false` when none can start
    /// here. An explicit request like this may go past ``maxWorkers``, which bounds only the background starts.
    @discardableResult
    func prepare(_ kind: Kind, count: Int = 1) async -> Bool {
        if closed { return false }
        if unavailable[kind.interpreter] != nil || (kind.sandboxed && isolationProblem != nil) { return false }
        let ready = idle[kind, default: []].filter(\.isAlive).count
        let wanted = count - ready
        guard wanted > 0 else { return true }
        alive += wanted
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<wanted {
                group.addTask { await self.startWorker(kind) }
            }
        }
        return unavailable[kind.interpreter] == nil && !(kind.sandboxed && isolationProblem != nil)
    }

    private func startWorker(_ kind: Kind) async {
        do {
            let worker = try await PytestWorker.start(
                interpreter: kind.interpreter, directory: FileManager.default.temporaryDirectory,
                cgroups: await SandboxCapabilities.current().cgroupLayout, sandboxed: kind.sandboxed)
            if closed {
                worker.stop()
                alive -= 1
            } else {
                idle[kind, default: []].append(worker)
            }
        } catch let error as PytestWorkerError where error.stopped {
            // Stopped by autocoder's own exit: not a reason to warn about, or to give up on workers.
            alive -= 1
        } catch let error as PytestWorkerError where error.sandbox {
            alive -= 1
            sandboxFailed(error.message)
        } catch {
            alive -= 1
            let reason = error.localizedDescription
            unavailable[kind.interpreter] = reason
            say("The warm pytest worker is not available (\(reason)); tests run with a cold pytest each time.")
        }
    }

    private func startFinished(_ kind: Kind) {
        starting.remove(kind)
    }

    /// Takes a worker back after a run; one that failed is stopped instead.
    /// An idle worker of `kind`, starting one when none is idle (a bridged run cannot go cold); `nil` when none can
    /// start here.
    func acquireStarting(_ kind: Kind) async -> PytestWorker? {
        for _ in 0..<3 {
            if let worker = acquire(kind) { return worker }
            guard await prepare(kind) else { return nil }
        }
        return acquire(kind)
    }

    func release(_ worker: PytestWorker, as kind: Kind, healthy: Bool) {
        if healthy, worker.isAlive, !closed {
            idle[kind, default: []].append(worker)
        } else {
            worker.stop()
            alive -= 1
        }
    }

    /// Stops the idle workers; workers in use are stopped when their runs give them back, and no new one starts.
    public func shutdown() {
        closed = true
        for worker in idle.values.joined() { worker.stop() }
        alive -= idle.values.map(\.count).reduce(0, +)
        idle = [:]
    }

    deinit {
        for worker in idle.values.joined() { worker.stop() }
    }

    /// Why sandboxed runs cannot use the workers here (their namespaces could not be created), if they cannot.
    var sandboxProblem: String? { isolationProblem }

    /// Records that a worker could not enter the sandbox's namespaces: sandboxed runs go cold from now on.
    func sandboxFailed(_ reason: String) {
        guard isolationProblem == nil else { return }
        isolationProblem = reason
        say("The warm pytest worker cannot create the sandbox here (\(reason)); sandboxed tests run cold.")
    }

    /// Why no worker can run for `interpreter`, if that is known.
    func unavailableReason(interpreter: String) -> String? { unavailable[interpreter] }

    private func say(_ message: String) {
        guard said.insert(message).inserted else { return }
        logger.warning("\(message)")
    }
}
