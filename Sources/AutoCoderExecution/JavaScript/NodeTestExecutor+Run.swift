import AutoCoder
import Foundation

extension NodeTestExecutor: CodeRunner {
    /// Runs JavaScript directly with node in a fresh workspace, in the same sandbox and bounds as a test run.
    public func run(
        code: String, fileName: String = "main.js", timeout: Duration? = nil, input: ProgramInput = ProgramInput()
    ) async throws -> CodeRunResult {
        let node = try locateNode()
        let workspace = try Workspace.create(sandbox: sandbox)
        defer { workspace.remove() }
        try workspace.write(input.files + [CodeFile(path: fileName, content: code)])
        let limit = timeout ?? self.timeout
        let run = try await sandbox.run(
            ProcessRequest(
                executable: node, arguments: [fileName] + input.arguments,
                environment: ChildEnvironment.allowlisted(home: workspace.home.path),
                workingDirectory: workspace.directory.path, timeout: limit, outputLimit: outputLimit,
                outputKillLimit: outputKillLimit, limits: limits.withCPUBackstop(for: limit), input: input.standardInput
            ),
            writable: workspace.writablePaths, observer: input.observer)
        return CodeRunResult(run, in: workspace, limit: limit)
    }
}
