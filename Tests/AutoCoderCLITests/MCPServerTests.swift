import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderCommands

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

    /// Ctrl-C stops a server whose client is still connected: exit 130, as every command that is interrupted.
    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalStopsTheServer(_ signal: Int32) async throws {
        let input = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["mcp"]
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { try? input.fileHandleForWriting.close() }
        try await Task.sleep(for: .seconds(1))
        #expect(process.isRunning)
        kill(process.processIdentifier, signal)
        for _ in 0..<300 where process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!process.isRunning, "mcp outlived the signal")
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 130)
    }

    /// The tests' build has every optional part; a build without one answers its command with one line that says
    /// how to build it (seen by hand on the README's default build: `autocoder mcp` exits 3 with this line).
    @Test func aMissingPartIsOneLineThatSaysHowToBuildIt() {
        #expect(OptionalPart.allCases.filter { !$0.isBuilt } == [])
        for part in OptionalPart.allCases {
            let exit = part.missing
            #expect(exit.code == .toolFailure)
            #expect(exit.message?.contains("swift build --traits \(part.rawValue)") == true)
            #expect(exit.message?.contains("\n") == false)
        }
    }
}
