import AutoCoder
import Foundation

extension Sandbox {
    /// One step of a run (a build, a test program, a program) in `workspace`: its directory as the working
    /// directory, its paths writable, `readOnly` besides, bounded by `timeout` and `limits`.
    func step(
        _ executable: String, _ arguments: [String], environment: [String: String], in workspace: Workspace,
        timeout: Duration, outputLimit: Int, outputKillLimit: Int? = nil, limits: ResourceLimits,
        readOnly: [String] = [], input: String? = nil, inputThroughPipe: Bool = false,
        observer: ProcessObserver = ProcessObserver()
    ) async throws -> SandboxedRun {
        try await run(
            ProcessRequest(
                executable: executable, arguments: arguments, environment: environment,
                workingDirectory: workspace.directory.path, timeout: timeout, outputLimit: outputLimit,
                outputKillLimit: outputKillLimit, limits: limits.withCPUBackstop(for: timeout),
                input: input, inputThroughPipe: inputThroughPipe),
            writable: workspace.writablePaths, readOnly: readOnly, observer: observer)
    }
}

extension CodeRunResult {
    /// A program that did not compile (`exec`): exit code 1, the compiler's diagnostics on stderr.
    init(compileFailure compile: SandboxedRun) {
        self.init(
            stdout: "", stderr: compile.process.standardOutput.text + compile.process.standardError.text, exitCode: 1,
            timedOut: false, signal: nil, durationMs: compile.process.durationMs, message: "The code does not compile.")
    }
}
