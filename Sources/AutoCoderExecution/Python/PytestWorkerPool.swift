import Foundation
import Logging

/// The warm pytest workers of this process, per interpreter: an idle worker is reused, a busy pool grows by
/// starting another, and a worker that died or misbehaved is dropped (the next run starts a new one).
///
/// When no worker can start for an interpreter (no pytest, a broken Python, the script missing), or the
/// workers cannot create namespaces here, the reason is kept and said once, and runs go cold.
actor PytestWorkerPool {
    static let shared = PytestWorkerPool()

    private var idle: [String: [PytestWorker]] = [:]
    private var unavailable: [String: String] = [:]
    private var isolationProblem: String?
    private var said: Set<String> = []
    private let logger = Logger(label: "autocoder.pytest")
    /// The most idle workers kept per interpreter.
    let maxIdle = max(2, ProcessInfo.processInfo.activeProcessorCount)

    /// An idle worker, or a newly started one; `nil` (with the reason said once) when none can run.
    func acquire(interpreter: String) async -> PytestWorker? {
        if unavailable[interpreter] != nil { return nil }
        while let worker = idle[interpreter]?.popLast() {
            if worker.isAlive { return worker }
        }
        do {
            return try await PytestWorker.start(
                interpreter: interpreter, directory: FileManager.default.temporaryDirectory)
        } catch {
            let reason = error.localizedDescription
            unavailable[interpreter] = reason
            say("The warm pytest worker is not available (\(reason)); tests run with a cold pytest each time.")
            return nil
        }
    }

    /// Takes a worker back after a run; one that failed is stopped instead.
    func release(_ worker: PytestWorker, interpreter: String, healthy: Bool) {
        guard healthy, worker.isAlive, idle[interpreter, default: []].count < maxIdle else {
            worker.stop()
            return
        }
        idle[interpreter, default: []].append(worker)
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
