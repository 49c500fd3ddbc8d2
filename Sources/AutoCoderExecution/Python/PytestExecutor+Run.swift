import AutoCoder
import Foundation

extension PytestExecutor: CodeRunner {
    /// Runs Python code directly in a fresh workspace, in the same sandbox and with the same bounds as a test run.
    /// - Parameters:
    ///   - code: The program's text.
    ///   - fileName: The name the program is written under.
    ///   - timeout: The wall-clock limit; the executor's own when `nil`.
    /// - Throws: ``PythonNotFound``, ``WorkspaceError`` or ``ProcessLaunchError`` when the program cannot be run at all.
    public func run(
        code: String, fileName: String = "main.py", timeout: Duration? = nil, input: ProgramInput = ProgramInput()
    ) async throws -> CodeRunResult {
        let interpreter = try await PythonInterpreter.resolve(explicit: python)
        let workspace = try Workspace.create(sandbox: sandbox)
        defer { workspace.remove() }
        try workspace.write(input.files + [CodeFile(path: fileName, content: code)])
        let limit = timeout ?? self.timeout
        let request = ProcessRequest(
            // -E -s rather than -I: the program's own directory stays importable (its --files are there).
            executable: interpreter.path, arguments: ["-E", "-s", "-B", fileName] + input.arguments,
            environment: ChildEnvironment.allowlisted(home: workspace.home.path),
            workingDirectory: workspace.directory.path, timeout: limit, outputLimit: outputLimit,
            outputKillLimit: outputKillLimit, limits: limits.withCPUBackstop(for: limit), input: input.standardInput)
        let run = try await sandbox.run(
            request, writable: workspace.writablePaths, readOnly: await interpreter.runtimeDirectories(),
            observer: input.observer)
        return CodeRunResult(run, in: workspace, limit: limit)
    }
}
