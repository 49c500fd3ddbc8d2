import AutoCoder
import Foundation

extension GoTestExecutor: CodeRunner {
    /// Builds `code` with `go build` (in the sandbox) and runs the program, bounded like a test run; a compile error
    /// gives exit code 1 and the diagnostics on stderr.
    public func run(
        code: String, fileName: String = "main.go", timeout: Duration? = nil, input: ProgramInput = ProgramInput()
    ) async throws -> CodeRunResult {
        guard let goRoot = await Self.goRoot() else {
            throw ToolMissing("No Go toolchain was found: go is not on PATH (Debian: apt-get install golang-go).")
        }
        let workspace = try Workspace.create(sandbox: sandbox)
        defer { workspace.remove() }
        try workspace.write(input.files + [Self.module, CodeFile(path: fileName, content: code)])
        let limit = timeout ?? self.timeout
        let environment = Self.environment(goRoot: goRoot, home: workspace.home.path)
        let compile = try await sandbox.run(
            ProcessRequest(
                executable: goRoot + "/bin/go", arguments: ["build", "-o", "program", fileName],
                environment: environment, workingDirectory: workspace.directory.path, timeout: .seconds(120),
                outputLimit: outputLimit),
            writable: workspace.writablePaths, readOnly: [goRoot])
        guard compile.process.exitCode == 0 else {
            return CodeRunResult(
                stdout: "", stderr: compile.process.standardError.text, exitCode: 1, timedOut: false, signal: nil,
                durationMs: compile.process.durationMs, message: "The code does not compile.")
        }
        let run = try await sandbox.run(
            ProcessRequest(
                executable: workspace.directory.path + "/program", arguments: input.arguments,
                environment: ChildEnvironment.allowlisted(home: workspace.home.path),
                workingDirectory: workspace.directory.path, timeout: limit, outputLimit: outputLimit,
                outputKillLimit: outputKillLimit, limits: limits.withCPUBackstop(for: limit), input: input.standardInput
            ),
            writable: workspace.writablePaths)
        return CodeRunResult(run, in: workspace, limit: limit)
    }
}
