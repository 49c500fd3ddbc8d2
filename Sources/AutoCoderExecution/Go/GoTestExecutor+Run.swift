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
        let compile = try await sandbox.step(
            goRoot + "/bin/go", ["build", "-o", "program", fileName], environment: environment, in: workspace,
            timeout: .seconds(120), outputLimit: outputLimit, limits: limits, readOnly: [goRoot])
        guard compile.process.exitCode == 0 else { return CodeRunResult(compileFailure: compile) }
        let run = try await sandbox.step(
            workspace.directory.path + "/program", input.arguments,
            environment: ChildEnvironment.allowlisted(home: workspace.home.path), in: workspace, timeout: limit,
            outputLimit: outputLimit, outputKillLimit: outputKillLimit, limits: limits, input: input.standardInput,
            observer: input.observer)
        return CodeRunResult(run, in: workspace, limit: limit)
    }
}
