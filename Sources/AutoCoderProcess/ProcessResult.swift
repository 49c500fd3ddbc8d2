/// How a bounded process ended, and what it printed.
public struct ProcessResult: Hashable, Sendable {
    /// How the direct child ended.
    public enum Termination: Hashable, Sendable {
        case exited(Int32)
        case signaled(Int32)
    }

    public var termination: Termination
    /// Whether autocoder killed the process because its timeout passed.
    public var timedOut: Bool
    /// Whether autocoder killed the process for printing more than its request's `outputKillLimit`.
    public var outputLimitExceeded = false
    public var standardOutput: CapturedOutput
    public var standardError: CapturedOutput
    public var duration: Duration

    public init(
        termination: Termination, timedOut: Bool, outputLimitExceeded: Bool = false,
        standardOutput: CapturedOutput, standardError: CapturedOutput, duration: Duration
    ) {
        self.termination = termination
        self.timedOut = timedOut
        self.outputLimitExceeded = outputLimitExceeded
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.duration = duration
    }

    /// The exit code a shell would report: the code itself, or 128 + the signal number.
    public var shellExitCode: Int32 {
        switch termination {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }

    /// The exit code, or `nil` when the process was killed by a signal.
    public var exitCode: Int32? {
        if case .exited(let code) = termination { return code }
        return nil
    }

    /// Milliseconds of wall-clock time.
    public var durationMs: Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
