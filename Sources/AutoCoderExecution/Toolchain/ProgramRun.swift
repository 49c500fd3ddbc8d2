import AutoCoder
import Foundation

/// One program run directly (`exec`) in any language: the template of every ``CodeRunner``.
///
/// ``perform(_:code:fileName:timeout:input:steps:)`` makes a fresh workspace holding the program and the input's
/// files; the language's steps build it (``build(_:_:readOnly:)``, a failure giving exit code 1 and the
/// diagnostics) and run it (``program(_:_:readOnly:)``) in the sandbox, with the settings' limits and the allowlisted
/// environment.
struct ProgramRun {
    let settings: ExecutorSettings
    let workspace: Workspace
    let input: ProgramInput
    /// The program's own wall-clock limit.
    let limit: Duration
    /// A build step's wall-clock limit.
    static let buildTimeout: Duration = .seconds(120)
    var environment: [String: String]

    static func perform(
        _ settings: ExecutorSettings, code: String, fileName: String, timeout: Duration?, input: ProgramInput,
        steps: (inout ProgramRun) async throws -> CodeRunResult
    ) async throws -> CodeRunResult {
        let workspace = try Workspace.create(sandbox: settings.sandbox)
        defer { workspace.remove() }
        try workspace.write(input.files + [CodeFile(path: fileName, content: code)])
        var run = ProgramRun(
            settings: settings, workspace: workspace, input: input, limit: timeout ?? settings.timeout,
            environment: ChildEnvironment.allowlisted(home: workspace.home.path))
        return try await steps(&run)
    }

    /// A build step; `nil` when it succeeded, else the result that stands for the run (exit code 1, the compiler's
    /// diagnostics on stderr).
    func build(_ executable: String, _ arguments: [String], readOnly: [String] = []) async throws -> CodeRunResult? {
        let compile = try await settings.sandbox.step(
            executable, arguments, environment: environment, in: workspace, timeout: Self.buildTimeout,
            outputLimit: settings.outputLimit, limits: settings.limits, readOnly: readOnly)
        return compile.process.exitCode == 0 ? nil : CodeRunResult(compileFailure: compile)
    }

    /// The program itself, with the input's arguments and standard input, its output told to the input's observer.
    func program(_ executable: String, _ arguments: [String], readOnly: [String] = []) async throws -> CodeRunResult {
        let run = try await settings.sandbox.step(
            executable, arguments + input.arguments, environment: environment, in: workspace, timeout: limit,
            outputLimit: settings.outputLimit, outputKillLimit: settings.outputKillLimit, limits: settings.limits,
            readOnly: readOnly, input: input.standardInput, observer: input.observer)
        return CodeRunResult(run, in: workspace, limit: limit)
    }

    /// The path of `name` in the workspace (a program a build wrote).
    func path(_ name: String) -> String {
        workspace.directory.appendingPathComponent(name).path
    }
}
