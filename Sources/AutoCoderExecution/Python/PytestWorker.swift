import AutoCoder
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One warm pytest worker: a long-lived Python process running the `pytest_worker.py` resource, which has
/// pytest imported and forks a fresh, sandboxed child for each test run (see the script's own description).
///
/// It is started on the one spawning path (``BackgroundProcess``), like every other child, and talks over a socket pair
/// (requests) and another (replies), all close-on-exec on this side. Requests are sent one at a time;
/// ``PytestWorkerPool`` hands each worker to one run at a time.
///
/// Where the machine has cgroups, the worker lives in a cgroup of its own (``cgroup``), joined once it is warm, so
/// that the runs forked from it start inside it; each run limits it anew (see `Cgroup.limitNextRun`).
final class PytestWorker: Sendable {
    /// The worker's own cgroup, where the machine has cgroups: its runs are forked inside it.
    let cgroup: Cgroup?
    /// The interpreter it runs (its directories are bound into each sandboxed run's view).
    let interpreter: PythonInterpreter
    private let requests: Int32
    private let lines: LineReader
    private let state = Mutex<(closed: Bool, exited: Bool, pid: Int32?, keeper: Int32?)>((false, false, nil, nil))
    /// The standard library's module names for the worker's interpreter, from its greeting.
    private let moduleNames = Mutex<(standard: [String], installed: [String])>(([], []))
    /// The runner process of the request in flight, to kill when the request is cancelled.
    private let runner = Mutex<Int32?>(nil)
    /// The worker's process, once started, and its cleanup at autocoder's exit.
    private let process = Mutex<(child: BackgroundProcess?, cleanup: ExitCleanup.Token?)>((nil, nil))

    /// The worker script, shipped as a resource of this module.
    static var script: URL? {
        InstalledResources.url("autocoder_AutoCoderExecution", "pytest_worker", "py", fallback: { Bundle.module })
    }

    /// Starts a worker and waits until pytest is warm, in a cgroup of its own made with `cgroups` when given. A
    /// `sandboxed` worker serves sandboxed runs only, from a PID namespace of its own.
    /// - Throws: ``PytestWorkerError`` when the script is missing, or Python or pytest cannot start, or its cgroup
    ///   or (``PytestWorkerError/sandbox``) its namespace cannot be made.
    static func start(
        interpreter: String, directory: URL, cgroups: CgroupLayout? = nil, sandboxed: Bool = false
    ) async throws -> PytestWorker {
        guard let script else { throw PytestWorkerError("the worker script is not among the module's resources") }
        var cgroup: Cgroup?
        if let cgroups {
            do {
                cgroup = try Cgroup.create(memoryBytes: nil, maxProcesses: nil, layout: cgroups)
            } catch {
                throw PytestWorkerError("could not make the worker's cgroup: \(error)")
            }
        }
        // Requests go through a socket pair, not a pipe: a write to a dead worker then fails with EPIPE instead of
        // raising SIGPIPE in the host process.
        var pair: [Int32] = [-1, -1]
        var replies: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0,
            socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &replies) == 0
        else {
            cgroup?.remove()
            throw PytestWorkerError("could not create the worker's channels: \(String(cString: strerror(errno)))")
        }
        // The worker's own environment is what a test process could read back in /proc/self/environ: no keys.
        var environment = ChildEnvironment.allowlisted(home: directory.path)
        environment["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        let worker = PytestWorker(
            interpreter: PythonInterpreter(path: interpreter), requests: pair[0],
            lines: LineReader(FileHandle(fileDescriptor: replies[0], closeOnDealloc: true)), cgroup: cgroup)
        let arguments =
            ["-I", "-B", script.path] + (sandboxed ? ["--isolate"] : [])
            + (sandboxed ? SystemCallFilter.file().map { ["--seccomp", $0] } ?? [] : [])
            + (cgroup?.directories ?? []).flatMap { ["--cgroup", $0] }
            + PytestExecutor.excludedPlugins
        let process: BackgroundProcess
        do {
            process = try await BackgroundProcess.start(
                .init(
                    executable: interpreter, arguments: arguments, environment: environment,
                    workingDirectory: directory.path, input: pair[1], output: replies[1]))
        } catch {
            worker.stop()
            throw PytestWorkerError("the worker could not be started: \(error.localizedDescription)")
        }
        worker.process.withLock { $0 = (process, ExitCleanup.add { [weak worker] in worker?.stop() }) }
        Task.detached {
            _ = await process.waitForExit()
            worker.state.withLock { $0.exited = true }
        }
        guard let line = await worker.lines.next(),
            let hello = try? JSONDocument.decoder().decode(PytestWorkerProtocol.Greeting.self, from: line)
        else {
            // Stopped on purpose (autocoder is exiting and ran its cleanups), or it died by itself.
            let stopped = worker.state.withLock { $0.closed }
            worker.stop()
            if stopped { throw PytestWorkerError("the worker was stopped before it was ready", stopped: true) }
            throw PytestWorkerError("the worker exited before it was ready (is pytest installed for \(interpreter)?)")
        }
        guard hello.version == PytestWorkerProtocol.version else {
            worker.stop()
            throw PytestWorkerError(
                "the worker script speaks protocol \(hello.version.map(String.init) ?? "1"), this build "
                    + "\(PytestWorkerProtocol.version) (a script from another build?)")
        }
        guard hello.ready, let pid = hello.pid else {
            worker.stop()
            let reason = hello.error ?? "no reason"
            if hello.sandbox == true {
                throw PytestWorkerError("the worker cannot create its namespace here: \(reason)", sandbox: true)
            }
            throw PytestWorkerError("pytest did not start in the worker: \(reason)")
        }
        worker.state.withLock {
            $0.pid = pid
            $0.keeper = hello.keeper
        }
        worker.moduleNames.withLock { $0 = (hello.standardModules ?? [], hello.installedModules ?? []) }
        return worker
    }

    private init(interpreter: PythonInterpreter, requests: Int32, lines: LineReader, cgroup: Cgroup?) {
        self.interpreter = interpreter
        self.requests = requests
        self.lines = lines
        self.cgroup = cgroup
    }

    deinit { stop() }

    var isAlive: Bool { state.withLock { !$0.exited && !$0.closed } }

    /// The processes that live as long as the worker: itself and, for a sandboxed worker, the keeper of its PID
    /// namespace. Anything else in its cgroup belongs to a run.
    var residents: Set<Int32> { state.withLock { Set([$0.pid, $0.keeper].compactMap { $0 }) } }

    /// The standard library's module names for the worker's interpreter (said once, not with every inventory).
    var standardModules: [String] { moduleNames.withLock { $0.standard } }
    /// The other top-level modules on the worker's interpreter's path (said once too).
    var installedModules: [String] { moduleNames.withLock { $0.installed } }

    /// Ends the worker now: it is killed (so a hung one goes too), and its cgroup emptied and removed here. A worker
    /// whose input merely closes, when autocoder exits, ends its keeper and removes its cgroup itself.
    func stop() {
        let (stopping, pid) = state.withLock { state -> (Bool, Int32?) in
            guard !state.closed else { return (false, nil) }
            state.closed = true
            close(requests)
            return (true, state.exited ? nil : state.pid)
        }
        guard stopping else { return }
        if let pid { kill(pid, SIGKILL) }
        let (child, cleanup) = process.withLock { $0 }
        child?.signalGroup(SIGKILL)
        cgroup?.killAllAndRemove()
        if let cleanup { ExitCleanup.remove(cleanup) }
        // A worker killed while it warms up leaves its warm-up directory, named with its pid.
        if let child { Self.removeWarmUpDirectories(of: child.processIdentifier) }
    }

    private static func removeWarmUpDirectories(of pid: Int32) {
        let base = FileManager.default.temporaryDirectory
        let prefix = "autocoder-warm-\(pid)-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? [] where name.hasPrefix(prefix)
        {
            try? FileManager.default.removeItem(at: base.appendingPathComponent(name))
        }
    }

    /// Sends one request and returns the worker's reply. Cancelling kills the run in flight; the worker stays
    /// usable. A worker that dies or answers nonsense throws, and must not be used again.
    func send(_ request: some Encodable) async throws -> PytestWorkerProtocol.Reply {
        let data = try JSONDocument.encoder().encode(request) + Data("\n".utf8)
        let sent = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            return data.withUnsafeBytes { bytes -> Bool in
                var offset = 0
                while offset < bytes.count {
                    let count = Glibc.send(
                        requests, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                    if count < 0, errno == EINTR { continue }
                    if count <= 0 { return false }
                    offset += count
                }
                return true
            }
        }
        guard sent else { throw PytestWorkerError("the worker is gone") }
        return try await withTaskCancellationHandler {
            while let line = await lines.next() {
                guard let reply = try? JSONDocument.decoder().decode(PytestWorkerProtocol.Reply.self, from: line)
                else { break }
                if let pid = reply.started {
                    runner.withLock { $0 = pid }
                    if Task.isCancelled { kill(pid, SIGKILL) }
                    continue
                }
                runner.withLock { $0 = nil }
                return reply
            }
            throw PytestWorkerError("the worker exited during a run")
        } onCancel: {
            if let pid = runner.withLock({ $0 }) { kill(pid, SIGKILL) }
        }
    }
}

/// The warm worker could not be used; the executor falls back to a cold run.
struct PytestWorkerError: Error, LocalizedError, Hashable, Sendable {
    var message: String
    /// Whether it is the sandbox that cannot be made (pytest itself would run).
    var sandbox = false
    /// Whether autocoder stopped the worker itself while it started (nothing is wrong with it).
    var stopped = false
    init(_ message: String, sandbox: Bool = false, stopped: Bool = false) {
        self.message = message
        self.sandbox = sandbox
        self.stopped = stopped
    }
    var errorDescription: String? { message }
}

/// Reads lines from a pipe on a thread of its own, and hands them to async callers in order.
final class LineReader: Sendable {
    private struct State {
        var lines: [String] = []
        var waiting: [CheckedContinuation<String?, Never>] = []
        var closed = false
    }

    private let state = Mutex(State())

    init(_ handle: FileHandle) {
        let thread = Thread { [self] in
            var pending = Data()
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                pending.append(data)
                while let newline = pending.firstIndex(of: 0x0A) {
                    deliver(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            close()
        }
        thread.start()
    }

    /// The next line, or `nil` once the pipe has closed.
    func next() async -> String? {
        await withCheckedContinuation { continuation in
            state.withLock { state in
                if !state.lines.isEmpty {
                    continuation.resume(returning: state.lines.removeFirst())
                } else if state.closed {
                    continuation.resume(returning: nil)
                } else {
                    state.waiting.append(continuation)
                }
            }
        }
    }

    private func deliver(_ line: String) {
        state.withLock { state in
            if state.waiting.isEmpty {
                state.lines.append(line)
            } else {
                state.waiting.removeFirst().resume(returning: line)
            }
        }
    }

    private func close() {
        state.withLock { state in
            state.closed = true
            for waiter in state.waiting { waiter.resume(returning: nil) }
            state.waiting = []
        }
    }
}
