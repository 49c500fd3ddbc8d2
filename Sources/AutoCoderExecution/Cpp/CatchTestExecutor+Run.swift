import AutoCoder
import Foundation

extension CatchTestExecutor: CodeRunner {
    /// Compiles `code` with g++ (in the sandbox) and runs the program, bounded like a test run; a compile error
    /// gives exit code 1 and the diagnostics on stderr.
    public func run(
        code: String, fileName: String = "main.cpp", timeout: Duration? = nil, input: ProgramInput = ProgramInput()
    ) async throws -> CodeRunResult {
        let installation = try Self.locate()
        let workspace = try Workspace.create(sandbox: sandbox)
        defer { workspace.remove() }
        try workspace.write(input.files + [CodeFile(path: fileName, content: code)])
        let limit = timeout ?? self.timeout
        let environment = ChildEnvironment.allowlisted(home: workspace.home.path)
        let compile = try await sandboxed(
            installation.compiler, ["-std=c++17", "-O1", "-pthread", "-I.", "-o", "program", fileName],
            environment: environment, workspace: workspace, timeout: .seconds(120), readOnly: [])
        guard compile.process.exitCode == 0 else { return CodeRunResult(compileFailure: compile) }
        let run = try await sandbox.step(
            workspace.directory.path + "/program", input.arguments, environment: environment, in: workspace,
            timeout: limit, outputLimit: outputLimit, outputKillLimit: outputKillLimit, limits: limits,
            input: input.standardInput, observer: input.observer)
        return CodeRunResult(run, in: workspace, limit: limit)
    }
}
