import AutoCoder
import Foundation

extension PytestExecutor {
    /// Runs Python code directly in a fresh workspace, with the same bounds as a test run.
    /// - Parameters:
    ///   - code: The program's text.
    ///   - fileName: The name the program is written under.
    ///   - timeout: The wall-clock limit; the executor's own when `nil`.
    /// - Throws: ``PythonNotFound``, ``WorkspaceError`` or ``ProcessLaunchError`` when the program cannot be run at all.
    public func run(code: String, fileName: String = "main.py", timeout: Duration? = nil) async throws -> CodeRunResult
    {
        let interpreter = try await PythonInterpreter.resolve(explicit: python)
        let workspace = try Workspace.create()
        defer { workspace.remove() }
        try workspace.write([CodeFile(path: fileName, content: code)])
        let limit = timeout ?? self.timeout
        let request = ProcessRequest(
            executable: interpreter.path, arguments: ["-I", "-B", fileName],
            environment: ChildEnvironment.scrubbed(), workingDirectory: workspace.directory.path,
            timeout: limit, outputLimit: outputLimit, limits: cpuBounded(limits, by: limit))
        let process = try await ProcessRunner().run(request)
        var signal: Int32?
        if case .signaled(let number) = process.termination { signal = number }
        return CodeRunResult(
            stdout: process.standardOutput.text, stderr: process.standardError.text,
            exitCode: process.timedOut ? CodeRunResult.timeoutExitCode : process.shellExitCode,
            timedOut: process.timedOut, signal: signal, durationMs: process.durationMs)
    }
}
