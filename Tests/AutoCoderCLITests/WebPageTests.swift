import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

/// The web page in a real browser: Debian's Chromium, driven by selenium (Tests/Fixtures/web/check.py), watches a
/// run started through the API with the script generator, live on its page until it is solved, then in the list.
@Suite struct WebPageTests {
    @Test func aRealBrowserWatchesARunToItsEnd() async throws {
        let home = try TemporaryDirectory()
        let server = try ServeCommandTests.Running(home: home.url)
        defer { server.stop() }
        let python = try await PythonInterpreter.resolve()
        let check = try await ProcessRunner().run(
            ProcessRequest(
                executable: python.path,
                arguments: [
                    CLI.repository.appendingPathComponent("Tests/Fixtures/web/check.py").path, server.url(""),
                    home.url.path,
                ], workingDirectory: home.url.path, timeout: .seconds(180)))
        #expect(
            check.exitCode == 0 && check.standardOutput.text.hasSuffix("ok\n"),
            "\(check.standardOutput.text.suffix(2000)) \(check.standardError.text.suffix(3000))")
        #expect(FileManager.default.fileExists(atPath: home.url.appendingPathComponent("web-run.png").path))
    }
}
