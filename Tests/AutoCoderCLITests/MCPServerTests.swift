import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

/// `autocoder mcp` driven by a real client nobody here wrote: the Python `mcp` package's stdio client
/// (Tests/Fixtures/mcp/client.py) lists the tools, runs `test`, `exec` and a scripted `solve` with progress, reads
/// `runs_list` and `run_show`, fixes a repository, gets errors back as results, and cancels a slow `solve` whose processes must go.
@Suite struct MCPServerTests {
    @Test func aPythonClientUsesEveryTool() async throws {
        let home = try TemporaryDirectory()
        let python = try await PythonInterpreter.resolve()
        var environment = ProcessInfo.processInfo.environment
        environment["AUTOCODER_HOME"] = home.url.path
        environment["AUTOCODER_PROVIDER"] = nil
        let result = try await ProcessRunner().run(
            ProcessRequest(
                executable: python.path,
                arguments: [
                    CLI.repository.appendingPathComponent("Tests/Fixtures/mcp/client.py").path, CLI.binary,
                    CLI.repository.appendingPathComponent("Tests/Fixtures/repositories/textstats").path,
                ],
                environment: environment, workingDirectory: home.url.path, timeout: .seconds(240)))
        #expect(
            result.exitCode == 0 && result.standardOutput.text.hasSuffix("ok\n"),
            "\(result.standardOutput.text.suffix(2000)) \(result.standardError.text.suffix(3000))")
    }

    @Test func withoutTheServerBuiltTheCommandSaysHowToBuildIt() async throws {
        let folder = try TemporaryDirectory()
        let copy = folder.url.appendingPathComponent("autocoder").path
        try FileManager.default.copyItem(atPath: CLI.binary, toPath: copy)
        let result = try await ProcessRunner().run(
            ProcessRequest(
                executable: copy, arguments: ["mcp"], workingDirectory: folder.url.path, timeout: .seconds(30)))
        #expect(result.exitCode == 3, "\(result.standardError.text)")
        #expect(result.standardError.text.contains("swift build --product autocoder-mcp"))
    }
}
