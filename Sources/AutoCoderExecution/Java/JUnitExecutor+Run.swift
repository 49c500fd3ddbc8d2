import AutoCoder
import Foundation

extension JUnitExecutor: CodeRunner {
    /// Compiles `code` with `javac` (in the sandbox) and runs its class with `java`, bounded like a test run; a
    /// compile error gives exit code 1 and the diagnostics on stderr. The class run is the file's name.
    public func run(
        code: String, fileName: String = "Main.java", timeout: Duration? = nil, input: ProgramInput = ProgramInput()
    ) async throws -> CodeRunResult {
        let installation = try Self.locate()
        let workspace = try Workspace.create(sandbox: sandbox)
        defer { workspace.remove() }
        try workspace.write(input.files + [CodeFile(path: fileName, content: code)])
        let limit = timeout ?? self.timeout
        let environment = ChildEnvironment.allowlisted(home: workspace.home.path)
        let classes = workspace.home.appendingPathComponent("classes").path
        let compile = try await sandboxed(
            installation.javaHome + "/bin/javac", ["-d", classes, "-encoding", "UTF-8", fileName],
            environment: environment, workspace: workspace, timeout: .seconds(120), installation: installation)
        guard compile.process.exitCode == 0 else { return CodeRunResult(compileFailure: compile) }
        let mainClass = ((fileName as NSString).lastPathComponent as NSString).deletingPathExtension
        let run = try await sandbox.step(
            installation.javaHome + "/bin/java", Self.jvmOptions + ["-cp", classes, mainClass] + input.arguments,
            environment: environment, in: workspace, timeout: limit, outputLimit: outputLimit,
            outputKillLimit: outputKillLimit, limits: limits, readOnly: installation.readOnly,
            input: input.standardInput, observer: input.observer)
        return CodeRunResult(run, in: workspace, limit: limit)
    }
}
