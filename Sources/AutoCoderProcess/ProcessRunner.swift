import Foundation
import Subprocess
import Synchronization

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Runs a program in its own session and process group, reads its output while it runs, and makes sure nothing
/// of it outlives the run.
///
/// This is the spawning path for bounded programs (``BackgroundProcess`` is the one for long-lived ones): both go
/// through swift-subprocess, whose child starts with an empty signal mask and every disposition at its default,
/// whatever thread spawned it. Foundation's `Process` gives the child the spawning thread's mask instead, which on
/// a Swift concurrency thread blocks SIGCHLD, SIGTERM, SIGINT and most others, so nothing here uses it.
///
/// - The wall-clock timeout is timed outside the program's I/O, so closing its pipes does not dodge it; when it
///   passes, every process in the group gets SIGKILL.
/// - When the run ends for any reason, the group is killed again, so background children left behind die too.
/// - Cancelling the calling task kills the group as well.
/// - Output is capped per stream (head and tail kept) but always drained, so a chatty program never blocks.
public struct ProcessRunner: Sendable {
    public init() {}

    /// Runs `request` to its end.
    /// - Throws: ``ProcessLaunchError`` when the program cannot be started; `CancellationError` when the calling
    ///   task is cancelled (the process group is killed first).
    /// - Parameter observer: told the child's pid when it starts and each chunk of output as it comes.
    public func run(
        _ request: ProcessRequest, observer: ProcessObserver = ProcessObserver()
    ) async throws
        -> ProcessResult
    {
        guard FileManager.default.isExecutableFile(atPath: request.executable) else {
            throw ProcessLaunchError(executable: request.executable, reason: "no executable file at that path")
        }
        let command = request.limits.wrap(executable: request.executable, arguments: request.arguments)
        let options = Self.platformOptions
        let groupLeader = GroupLeader()
        let budget = OutputBudget(limit: request.outputKillLimit)
        let start = ContinuousClock.now

        let race: RunRace = try await withThrowingTaskGroup(of: RunRace.self) { group in
            group.addTask {
                let streams = try await Self.spawn(
                    request, command: command, options: options, groupLeader: groupLeader, budget: budget,
                    observer: observer)
                return .finished(streams.termination, streams.output, streams.error)
            }
            group.addTask {
                try await Task.sleep(for: request.timeout)
                return .timedOut
            }
            defer { Self.killGroup(groupLeader) }
            let first = try await group.next()!
            guard case .timedOut = first else {
                group.cancelAll()
                return first
            }
            Self.killGroup(groupLeader)
            // The program is dead now; let its streams drain and its status be collected, within a grace period
            // (the kill finds no pid if the timeout passed before the program had even started).
            group.addTask {
                try await Task.sleep(for: Self.gracePeriod)
                return .timedOut
            }
            while let next = try? await group.next() {
                if case .finished(let termination, let output, let error) = next {
                    group.cancelAll()
                    return .finishedAfterTimeout(termination, output, error)
                }
                Self.killGroup(groupLeader)
                group.cancelAll()
            }
            return .timedOut
        }

        switch race {
        case .finished(let termination, let output, let error):
            return ProcessResult(
                termination: termination, timedOut: false, outputLimitExceeded: budget.exceeded,
                standardOutput: output, standardError: error, duration: ContinuousClock.now - start)
        case .finishedAfterTimeout(let termination, let output, let error):
            return ProcessResult(
                termination: termination, timedOut: true, outputLimitExceeded: budget.exceeded,
                standardOutput: output, standardError: error, duration: ContinuousClock.now - start)
        case .timedOut:
            return ProcessResult(
                termination: .signaled(SIGKILL), timedOut: true,
                standardOutput: CapturedOutput(limit: request.outputLimit),
                standardError: CapturedOutput(limit: request.outputLimit), duration: ContinuousClock.now - start)
        }
    }

    /// A new session (so the child leads its own process group), and SIGKILL to that group on cancellation.
    private static var platformOptions: PlatformOptions {
        var options = PlatformOptions()
        options.createSession = true
        options.teardownSequence = [.send(signal: .kill, toProcessGroup: true, allowedDurationToNextStep: .zero)]
        return options
    }

    /// How long a killed program may take to be reaped before its run is abandoned.
    static let gracePeriod = Duration.seconds(2)

    private enum RunRace: Sendable {
        case finished(ProcessResult.Termination, CapturedOutput, CapturedOutput)
        case finishedAfterTimeout(ProcessResult.Termination, CapturedOutput, CapturedOutput)
        case timedOut
    }

    private struct Streams: Sendable {
        var termination: ProcessResult.Termination
        var output: CapturedOutput
        var error: CapturedOutput

        init(_ status: TerminationStatus, _ captured: (CapturedOutput, CapturedOutput)) {
            switch status {
            case .exited(let code): termination = .exited(code)
            case .signaled(let signal): termination = .signaled(signal)
            }
            (output, error) = captured
        }
    }

    private static func spawn(
        _ request: ProcessRequest, command: (executable: String, arguments: [String]), options: PlatformOptions,
        groupLeader: GroupLeader, budget: OutputBudget, observer: ProcessObserver
    ) async throws -> Streams {
        let environment = Environment.custom(
            Dictionary(
                uniqueKeysWithValues: request.environment.map { (Environment.Key(stringLiteral: $0.key), $0.value) }))
        let executable = Executable.path(FilePath(command.executable))
        let arguments = Arguments(command.arguments)
        let directory = FilePath(request.workingDirectory)
        let limit = request.outputLimit
        let input: FileDescriptor
        do {
            input = try StandardInputFile.open(request.input, throughPipe: request.inputThroughPipe)
        } catch {
            throw ProcessLaunchError(
                executable: request.executable, reason: "could not prepare standard input: \(error)")
        }
        do {
            let result = try await Subprocess.run(
                executable, arguments: arguments, environment: environment, workingDirectory: directory,
                platformOptions: options, input: .fileDescriptor(input, closeAfterSpawningProcess: true),
                output: .sequence, error: .sequence
            ) { execution in
                groupLeader.set(execution.processIdentifier.value)
                observer.started(execution.processIdentifier.value)
                let stop = { @Sendable in killGroup(groupLeader) }
                let observeOutput = observer.stream(isError: false)
                let observeError = observer.stream(isError: true)
                async let output = drain(
                    execution.standardOutput, limit: limit, pinning: request.pinnedMarker, budget: budget, stop: stop,
                    observe: observeOutput)
                async let error = drain(
                    execution.standardError, limit: limit, pinning: request.pinnedMarker, budget: budget, stop: stop,
                    observe: observeError)
                return try await (output, error)
            }
            return Streams(result.terminationStatus, result.closureResult)
        } catch let error as SubprocessError {
            if Task.isCancelled { throw CancellationError() }
            throw ProcessLaunchError(executable: request.executable, reason: String(describing: error))
        }
    }

    /// Reads a stream to its end, keeping what the cap allows; calls `stop` once when the budget runs out.
    private static func drain(
        _ stream: SubprocessOutputSequence, limit: Int, pinning marker: String?, budget: OutputBudget,
        stop: @Sendable () -> Void, observe: (@Sendable (Data) -> Void)?
    ) async throws -> CapturedOutput {
        var captured = CapturedOutput(limit: limit, pinning: marker)
        for try await buffer in stream {
            buffer.withUnsafeBytes {
                captured.append($0)
                // Copied only for an observer: test runs, the hot path, have none.
                if let observe { observe(Data($0)) }
            }
            if budget.spend(buffer.count) { stop() }
        }
        return captured
    }

    /// Sends SIGKILL to every process in the group led by the child, if it was started.
    private static func killGroup(_ groupLeader: GroupLeader) {
        if let pid = groupLeader.pid, pid > 0 {
            _ = kill(-pid, SIGKILL)
        }
    }
}

/// What a caller of ``ProcessRunner/run(_:observer:)`` is told while the program runs.
public struct ProcessObserver: Sendable {
    /// The child's pid (it leads its own process group), once it has started.
    public var started: @Sendable (pid_t) -> Void
    /// Each chunk of output as it is read, with whether it came from standard error; `nil` when nobody listens.
    public var output: (@Sendable (_ chunk: Data, _ isError: Bool) -> Void)?

    public init(
        started: @escaping @Sendable (pid_t) -> Void = { _ in },
        output: (@Sendable (_ chunk: Data, _ isError: Bool) -> Void)? = nil
    ) {
        self.started = started
        self.output = output
    }
}

extension ProcessObserver {
    /// The output observer for one stream, or `nil` when nobody listens.
    fileprivate func stream(isError: Bool) -> (@Sendable (Data) -> Void)? {
        guard let output else { return nil }
        return { output($0, isError) }
    }
}

/// Counts the bytes a program printed against its kill limit.
private final class OutputBudget: Sendable {
    private let limit: Int?
    private let state = Mutex<(spent: Int, exceeded: Bool)>((0, false))

    init(limit: Int?) {
        self.limit = limit
    }

    var exceeded: Bool { state.withLock { $0.exceeded } }

    /// Adds `bytes`; `true` exactly once, when the total first goes past the limit.
    func spend(_ bytes: Int) -> Bool {
        guard let limit else { return false }
        return state.withLock { state in
            state.spent += bytes
            guard state.spent > limit, !state.exceeded else { return false }
            state.exceeded = true
            return true
        }
    }
}

/// The pid of the child, which leads its own process group, once it is known.
private final class GroupLeader: Sendable {
    private let storage = Mutex<pid_t?>(nil)

    var pid: pid_t? { storage.withLock { $0 } }

    func set(_ pid: pid_t) {
        storage.withLock { $0 = pid }
    }
}

/// A program could not be started.
public struct ProcessLaunchError: Error, LocalizedError, Hashable, Sendable {
    public var executable: String
    public var reason: String

    public var errorDescription: String? { "Could not start \(executable): \(reason)" }
}
