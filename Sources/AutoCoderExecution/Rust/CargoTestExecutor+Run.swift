import AutoCoder
import Foundation

extension CargoTestExecutor: CodeRunner {
    /// Compiles `code` with rustc (in the sandbox) and runs the program, bounded like a test run; a compile error
    /// gives exit code 1 and the diagnostics on stderr.
    public func run(
        code: String, fileName: String = "main.rs", timeout: Duration? = nil, input: ProgramInput = ProgramInput()
    ) async throws -> CodeRunResult {
        guard let sysroot = await Self.sysroot() else {
            throw ToolMissing("No Rust toolchain was found: rustc is not on PATH.")
        }
        let workspace = try Workspace.create(sandbox: sandbox)
        defer { workspace.remove() }
        try workspace.write(input.files + [CodeFile(path: fileName, content: code)])
        let limit = timeout ?? self.timeout
        let environment = ChildEnvironment.allowlisted(home: workspace.home.path)
        let compile = try await sandbox.step(
            sysroot + "/bin/rustc", ["--edition", "2021", "-o", "program", fileName], environment: environment,
            in: workspace, timeout: .seconds(120), outputLimit: outputLimit, limits: limits, readOnly: [sysroot])
        guard compile.process.exitCode == 0 else { return CodeRunResult(compileFailure: compile) }
        let run = try await sandbox.step(
            workspace.directory.path + "/program", input.arguments, environment: environment, in: workspace,
            timeout: limit, outputLimit: outputLimit, outputKillLimit: outputKillLimit, limits: limits,
            input: input.standardInput, observer: input.observer)
        return CodeRunResult(run, in: workspace, limit: limit)
    }
}
