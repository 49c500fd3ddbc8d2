import Foundation
import Subprocess
import Synchronization

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// A long-lived child (the local model's server, a warm test worker), started on the same path as
/// ``ProcessRunner``'s programs: through swift-subprocess, with an empty signal mask and default dispositions, in a
/// session and process group of its own. It talks through descriptors its owner made; ``stop(grace:)`` ends the
/// whole group.
public final class BackgroundProcess: Sendable {
    /// What to start. The descriptors are the child's ends: each is closed on this side once the child has it.
    public struct Configuration: Sendable {
        public var executable: String
        public var arguments: [String]
        /// The complete environment of the child.
        public var environment: [String: String]
        public var workingDirectory: String?
        /// The child's standard input; `nil` gives it the null device.
        public var input: Int32?
        /// The child's standard output; `nil` discards it.
        public var output: Int32?
        /// The child's standard error; `nil` discards it.
        public var error: Int32?

        public init(
            executable: String, arguments: [String] = [], environment: [String: String],
            workingDirectory: String? = nil, input: Int32? = nil, output: Int32? = nil, error: Int32? = nil
        ) {
            self.executable = executable
            self.arguments = arguments
            self.environment = environment
            self.workingDirectory = workingDirectory
            self.input = input
            self.output = output
            self.error = error
        }
    }

    private struct State {
        var pid: pid_t?
        var termination: ProcessResult.Termination?
        var waiters: [CheckedContinuation<ProcessResult.Termination, Never>] = []
    }
    private let state = Mutex(State())

    private init() {}

    /// Starts the child and returns once it runs.
    /// - Throws: ``ProcessLaunchError`` when it cannot be started.
    public static func start(_ configuration: Configuration) async throws -> BackgroundProcess {
        let process = BackgroundProcess()
        var options = PlatformOptions()
        options.createSession = true
        let environment = Environment.custom(
            Dictionary(
                uniqueKeysWithValues: configuration.environment.map { (Environment.Key(stringLiteral: $0), $1) }))
        let started = AsyncStream<Result<pid_t, ProcessLaunchError>>.makeStream()
        Task.detached {
            do {
                let result = try await Subprocess.run(
                    .path(FilePath(configuration.executable)), arguments: Arguments(configuration.arguments),
                    environment: environment, workingDirectory: configuration.workingDirectory.map { FilePath($0) },
                    platformOptions: options,
                    input: .fileDescriptor(
                        try descriptor(configuration.input, else: .readOnly), closeAfterSpawningProcess: true),
                    output: .fileDescriptor(
                        try descriptor(configuration.output, else: .writeOnly), closeAfterSpawningProcess: true),
                    error: .fileDescriptor(
                        try descriptor(configuration.error, else: .writeOnly), closeAfterSpawningProcess: true)
                ) { execution in
                    process.state.withLock { $0.pid = execution.processIdentifier.value }
                    started.continuation.yield(.success(execution.processIdentifier.value))
                }
                switch result.terminationStatus {
                case .exited(let code): process.finish(.exited(code))
                case .signaled(let signal): process.finish(.signaled(signal))
                }
            } catch {
                started.continuation.yield(
                    .failure(ProcessLaunchError(executable: configuration.executable, reason: "\(error)")))
                process.finish(.exited(127))
            }
            started.continuation.finish()
        }
        for await outcome in started.stream {
            _ = try outcome.get()
            return process
        }
        throw ProcessLaunchError(executable: configuration.executable, reason: "it did not start")
    }

    /// A descriptor of ours, or the null device.
    private static func descriptor(_ fd: Int32?, else mode: FileDescriptor.AccessMode) throws -> FileDescriptor {
        if let fd { return FileDescriptor(rawValue: fd) }
        return try FileDescriptor.open("/dev/null", mode)
    }

    private func finish(_ termination: ProcessResult.Termination) {
        let waiters = state.withLock { state in
            state.termination = termination
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume(returning: termination) }
    }

    /// The child's pid (it leads its own process group).
    public var processIdentifier: pid_t { state.withLock { $0.pid } ?? -1 }

    /// How the child ended, once it has (and has been reaped).
    public var termination: ProcessResult.Termination? { state.withLock { $0.termination } }

    public var isRunning: Bool { termination == nil }

    /// Waits until the child has ended.
    public func waitForExit() async -> ProcessResult.Termination {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> ProcessResult.Termination? in
                if let termination = state.termination { return termination }
                state.waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// Ends the child's process group: SIGTERM, then SIGKILL if the child is still there after `grace`. It does not
    /// block on another thread's progress: it polls the child's state for at most `grace`.
    public func stop(grace: Duration = .seconds(2)) {
        guard let pid = state.withLock({ $0.pid }), isRunning else { return }
        _ = kill(-pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while isRunning, ContinuousClock.now < deadline { usleep(20_000) }
        _ = kill(-pid, SIGKILL)
    }

    /// Sends `signal` to the child's whole process group.
    public func signalGroup(_ signal: Int32) {
        if let pid = state.withLock({ $0.pid }) { _ = kill(-pid, signal) }
    }
}
