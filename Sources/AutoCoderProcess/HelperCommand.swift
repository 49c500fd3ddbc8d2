import Foundation
import Synchronization

/// A long trusted helper (python, pip, a build) run to its end with its output passed on line by line.
///
/// It runs on ``ProcessRunner``'s path, so it starts with an empty signal mask in a process group of its own, and
/// cancelling the calling task (Ctrl-C, SIGTERM) kills the whole group. It cannot hang silently: when the group
/// prints nothing and uses no CPU time for ``stallLimit``, it is killed and ``HelperStalled`` is thrown.
public struct HelperCommand: Sendable {
    public var request: ProcessRequest
    /// How long the helper may go without output and without CPU time before it counts as stalled.
    public var stallLimit: Duration
    /// How often progress is checked.
    public var checkInterval: Duration

    public init(_ request: ProcessRequest, stallLimit: Duration = .seconds(180), checkInterval: Duration? = nil) {
        self.request = request
        self.stallLimit = stallLimit
        self.checkInterval = checkInterval ?? min(.seconds(10), stallLimit / 4)
    }

    /// Runs the helper; returns its exit status and its last lines of output.
    /// - Throws: ``HelperStalled``; ``ProcessLaunchError``; `CancellationError` (the group is killed first).
    public func run(onLine: @escaping @Sendable (String) -> Void) async throws -> (status: Int32, tail: [String]) {
        let tail = Tail()
        let output = LineSplitter(tail: tail, onLine: onLine)
        let error = LineSplitter(tail: tail, onLine: onLine)
        let progress = ProgressClock()
        let observer = ProcessObserver(
            started: { progress.started(pid: $0) },
            output: { chunk, isError in
                progress.moved()
                (isError ? error : output).append(chunk)
            })
        let result = try await withThrowingTaskGroup(of: ProcessResult?.self) { group -> ProcessResult? in
            group.addTask { try await ProcessRunner().run(request, observer: observer) }
            group.addTask { [stallLimit, checkInterval] () -> ProcessResult? in
                while true {
                    try await Task.sleep(for: checkInterval)
                    if let pid = progress.stalled(after: stallLimit) {
                        _ = kill(-pid, SIGKILL)
                        return nil
                    }
                }
            }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let result = next { return result }
            }
            return nil
        }
        output.flush()
        error.flush()
        try Task.checkCancellation()
        if progress.isStalled {
            throw HelperStalled(command: request.executable, limit: stallLimit, tail: tail.lines)
        }
        guard let result else { throw CancellationError() }
        if result.timedOut {
            throw HelperStalled(command: request.executable, limit: request.timeout, tail: tail.lines, timedOut: true)
        }
        return (result.shellExitCode, tail.lines)
    }
}

/// A helper printed nothing and used no CPU time for too long (or ran past its whole time limit), and was killed.
public struct HelperStalled: Error, LocalizedError, Hashable, Sendable {
    public var command: String
    public var limit: Duration
    public var tail: [String]
    public var timedOut = false

    public init(command: String, limit: Duration, tail: [String], timedOut: Bool = false) {
        self.command = command
        self.limit = limit
        self.tail = tail
        self.timedOut = timedOut
    }

    public var errorDescription: String? {
        let what =
            timedOut
            ? "\(command) ran longer than \(limit.components.seconds) s and was stopped"
            : "\(command) printed nothing and used no CPU time for \(limit.components.seconds) s, so it was stopped"
        let last = tail.suffix(5).map { "  " + $0 }.joined(separator: "\n")
        return what + (last.isEmpty ? "." : ". Its last lines:\n" + last)
    }
}

/// When the helper last printed or used CPU time.
private final class ProgressClock: Sendable {
    private struct State {
        var pid: pid_t?
        var ticks: Int?
        var last = ContinuousClock.now
        var stalled = false
    }
    private let state = Mutex(State())

    func started(pid: pid_t) { state.withLock { $0.pid = pid } }
    func moved() { state.withLock { $0.last = .now } }
    var isStalled: Bool { state.withLock { $0.stalled } }

    /// The group to kill when nothing has moved for `limit`; records CPU time as movement.
    func stalled(after limit: Duration) -> pid_t? {
        let pid = state.withLock { $0.pid }
        guard let pid else { return nil }
        let ticks = ProcessGroupUsage.cpuTicks(group: pid)
        return state.withLock { state in
            if ticks != state.ticks {
                state.ticks = ticks
                state.last = .now
            }
            guard ContinuousClock.now - state.last >= limit else { return nil }
            state.stalled = true
            return pid
        }
    }
}

/// The last lines a helper printed, on either stream.
private final class Tail: Sendable {
    private let state = Mutex<[String]>([])
    func append(_ lines: [String]) { state.withLock { $0 = Array(($0 + lines).suffix(30)) } }
    var lines: [String] { state.withLock { $0 } }
}

/// Splits one stream into lines as it comes.
private final class LineSplitter: Sendable {
    private let pending = Mutex(Data())
    private let tail: Tail
    private let onLine: @Sendable (String) -> Void

    init(tail: Tail, onLine: @escaping @Sendable (String) -> Void) {
        self.tail = tail
        self.onLine = onLine
    }

    func append(_ data: Data) {
        let complete = pending.withLock { pending -> [String] in
            pending.append(data)
            var lines: [String] = []
            while let newline = pending.firstIndex(of: 0x0A) {
                lines.append(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                pending.removeSubrange(pending.startIndex...newline)
            }
            return lines
        }
        tail.append(complete)
        complete.forEach(onLine)
    }

    func flush() {
        let last = pending.withLock { pending -> String? in
            guard !pending.isEmpty else { return nil }
            defer { pending = Data() }
            return String(decoding: pending, as: UTF8.self)
        }
        if let last {
            tail.append([last])
            onLine(last)
        }
    }
}
