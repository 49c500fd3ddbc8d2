import AutoCoder
import Foundation

extension SwiftTestExecutor: CodeRunner {
    /// Compiles Swift code with `swiftc` (outside the sandbox) and runs the program inside it.
    /// A compile error gives exit code 1, the diagnostics on stderr, and a message saying so.
    /// - Throws: ``SwiftToolchainMissing``, ``WorkspaceError`` or ``ProcessLaunchError`` when nothing can run.
    public func run(
        code: String, fileName: String = "main.swift", timeout: Duration? = nil, input: ProgramInput = ProgramInput()
    ) async throws -> CodeRunResult {
        let driver = try locateSwift()
        let compiler = URL(fileURLWithPath: driver).deletingLastPathComponent().appendingPathComponent("swiftc").path
        let workspace = try Workspace.create(sandbox: sandbox)
        defer { workspace.remove() }
        // With other files beside it, top-level code is allowed only in a file named main.swift.
        let source = fileName.hasSuffix(".swift") && input.files.isEmpty ? fileName : "main.swift"
        try workspace.write(input.files + [CodeFile(path: source, content: code)])
        let sources = [source] + input.files.map(\.path).filter { $0.hasSuffix(".swift") && $0 != source }
        let environment = ChildEnvironment.allowlisted(home: workspace.home.path)
        let binary = workspace.root.appendingPathComponent("program").path
        let compile = try await ProcessRunner().run(
            ProcessRequest(
                executable: compiler, arguments: ["-Onone"] + sources + ["-o", binary], environment: environment,
                workingDirectory: workspace.directory.path, timeout: buildTimeout, outputLimit: outputLimit,
                limits: ResourceLimits(fileSizeBytes: nil, openFiles: nil)))
        guard compile.exitCode == 0 else {
            let output = compile.standardOutput.text + compile.standardError.text
            return CodeRunResult(
                stdout: "",
                stderr: output.replacingOccurrences(of: workspace.directory.path + "/", with: ""),
                exitCode: compile.timedOut ? CodeRunResult.timeoutExitCode : 1, timedOut: compile.timedOut, signal: nil,
                durationMs: compile.durationMs,
                message: compile.timedOut ? "The compiler did not finish in time." : "The code does not compile.")
        }
        let limit = timeout ?? self.timeout
        let run = try await sandbox.run(
            ProcessRequest(
                executable: binary, arguments: input.arguments, environment: environment,
                workingDirectory: workspace.directory.path, timeout: limit, outputLimit: outputLimit,
                outputKillLimit: outputKillLimit, limits: limits.withCPUBackstop(for: limit),
                input: input.standardInput),
            writable: workspace.writablePaths, readOnly: [binary, Self.toolchainDirectory(driver)],
            observer: input.observer)
        var result = CodeRunResult(run, in: workspace, limit: limit)
        result.durationMs += compile.durationMs
        return result
    }
}
