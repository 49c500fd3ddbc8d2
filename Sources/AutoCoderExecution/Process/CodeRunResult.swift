/// The result of running a program directly (`autocoder exec`).
public struct CodeRunResult: Codable, Hashable, Sendable {
    public var stdout: String
    public var stderr: String
    /// The program's exit code; 124 when it timed out, 128 + N when a signal N killed it.
    public var exitCode: Int32
    public var timedOut: Bool
    /// The signal that killed the program, if one did.
    public var signal: Int32?
    public var durationMs: Int
    /// Why the program was stopped, when a limit stopped it (timeout, memory, processes, output).
    public var message: String?

    public init(
        stdout: String, stderr: String, exitCode: Int32, timedOut: Bool, signal: Int32?, durationMs: Int,
        message: String? = nil
    ) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
        self.timedOut = timedOut
        self.signal = signal
        self.durationMs = durationMs
        self.message = message
    }

    /// What a program run directly in `workspace` gave, with `limit` its wall-clock limit: its output, its exit
    /// code (124 when it timed out), the signal that killed it, and what the limits say.
    init(_ run: SandboxedRun, in workspace: Workspace, limit: Duration) {
        let process = run.process
        var signal: Int32?
        if case .signaled(let number) = process.termination { signal = number }
        var message = SandboxedRun.joined(run.limitMessage, workspace.disk?.fullMessage)
        if process.timedOut {
            message =
                "The program did not finish within \(SandboxedRun.seconds(limit)) and was killed with all its processes."
        }
        self.init(
            stdout: process.standardOutput.text, stderr: process.standardError.text,
            exitCode: process.timedOut ? Self.timeoutExitCode : process.shellExitCode, timedOut: process.timedOut,
            signal: signal, durationMs: process.durationMs, message: message)
    }

    /// The exit code `timeout(1)` uses for a run that timed out.
    public static let timeoutExitCode: Int32 = 124
}
