import Foundation
import Logging

/// The warm pytest workers of this process, per interpreter.
///
/// A run takes an idle worker when there is one, and otherwise runs cold: it never waits. From the second run
/// on, a run that finds no idle worker starts one in the background (one start at a time, at most
/// ``maxWorkers`` alive), so a process that runs pytest once never pays for a worker, and a loop or a benchmark
/// is warm after its first runs. A worker that died or misbehaved is dropped.
///
/// When no worker can start for an interpreter (no pytest, a broken Python, the script missing), or the
/// workers cannot create namespaces here, the reason is kept and said once, and runs go cold.
actor PytestWorkerPool {
    static let shared = PytestWorkerPool()

    private var idle: [String: [PytestWorker]] = [:]
    private var alive = 0
    private var starting: Set<String> = []
    private var demand: [String: Int] = [:]
    private var unavailable: [String: String] = [:]
    private var isolationProblem: String?
    private var said: Set<String> = []
    private let logger = Logger(label: "autocoder.pytest")
    /// The most workers alive at once in this process: twice the cores, at least 4.
    let maxWorkers = max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)

    /// An idle worker, or `nil`: the run then goes cold (and a worker may be starting for the next runs).
    func acquire(interpreter: String) -> PytestWorker? {
        if unavailable[interpreter] != nil { return nil }
        demand[interpreter, default: 0] += 1
        while let worker = idle[interpreter]?.popLast() {
            if worker.isAlive { return worker }
            alive -= 1
        }
        if demand[interpreter, default: 0] >= 2, !starting.contains(interpreter), alive < maxWorkers {
            starting.insert(interpreter)
            alive += 1
            Task {
                await self.startWorker(interpreter: interpreter)
                await self.startFinished(interpreter: interpreter)
            }
        }
        return nil
    }

    /// Starts workers now, until `count` are idle in the pool, and waits for them; `false` when none can start
    /// here. An explicit request like this may go past ``maxWorkers``, which bounds only the background starts.
    @discardableResult
    func prepare(interpreter: String, count: Int = 1) async -> Bool {
        if unavailable[interpreter] != nil { return false }
        let ready = idle[interpreter, default: []].filter(\.isAlive).count
        let wanted = count - ready
        guard wanted > 0 else { return true }
        alive += wanted
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<wanted {
                group.addTask { await self.startWorker(interpreter: interpreter) }
            }
        }
        return unavailable[interpreter] == nil
    }

    private func startWorker(interpreter: String) async {
        do {
            let worker = try await PytestWorker.start(
                interpreter: interpreter, directory: FileManager.default.temporaryDirectory)
            idle[interpreter, default: []].append(worker)
        } catch {
            alive -= 1
            let reason = error.localizedDescription
            unavailable[interpreter] = reason
            say("The warm pytest worker is not available (\(reason)); tests run with a cold pytest each time.")
        }
    }

    private func startFinished(interpreter: String) {
        starting.remove(interpreter)
    }

    /// Takes a worker back after a run; one that failed is stopped instead.
    func release(_ worker: PytestWorker, interpreter: String, healthy: Bool) {
        if healthy, worker.isAlive {
            idle[interpreter, default: []].append(worker)
        } else {
            worker.stop()
            alive -= 1
        }
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
