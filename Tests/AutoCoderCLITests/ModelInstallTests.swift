import AutoCoderTestSupport
import Foundation
import Testing

/// `autocoder model install` with a stand-in Python whose pip never finishes: a stall is stopped with a message,
/// and SIGTERM stops the install; either way nothing it started is left running.
@Suite struct ModelInstallTests {
    let marker = "fakepip\(UInt64.random(in: 100_000_000...999_999_999))"

    /// A "python" that reports itself as the interpreter, makes a virtual environment of copies of itself, and
    /// whose `-m pip` waits forever without output or CPU time.
    func fakePython(in directory: TemporaryDirectory) throws -> String {
        let script = """
            #!/bin/bash
            case "$1" in
              -c) echo "$0" ;;
              -m) if [ "$2" = venv ]; then mkdir -p "$3/bin" && cp "$0" "$3/bin/python"; exit 0; fi
                  echo "Collecting cyllama"; (exec -a \(marker) sleep 1000) & exec -a \(marker) sleep 1000 ;;
            esac
            """
        let url = try directory.write("python", script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }

    @Test func aStalledInstallIsStoppedWithAMessage() async throws {
        let directory = try TemporaryDirectory()
        let python = try fakePython(in: directory)
        let run = try await CLI.run(
            ["model", "install", "--python", python, "--stall-seconds", "2"],
            environment: ["AUTOCODER_HOME": directory.url.appendingPathComponent("home").path], timeout: .seconds(60))
        #expect(run.code == 3, "stderr: \(run.stderr)")
        #expect(run.stderr.contains("stalled"))
        #expect(run.stderr.contains("printed nothing and used no CPU time for 2 s"))
        #expect(run.stderr.contains("Collecting cyllama"))
        #expect(await ProcessProbe.noneLeft(withMarker: marker), "the stalled pip outlived autocoder")
    }

    @Test func sigtermStopsAnInstallAndLeavesNothingRunning() async throws {
        let directory = try TemporaryDirectory()
        let python = try fakePython(in: directory)
        let process = try CLI.launch(
            ["model", "install", "--python", python],
            environment: ["AUTOCODER_HOME": directory.url.appendingPathComponent("home").path])
        for _ in 0..<300 where ProcessProbe.processes(withMarker: marker).count < 2 {
            try await Task.sleep(for: .milliseconds(50))
        }
        try #require(ProcessProbe.processes(withMarker: marker).count == 2, "pip never started")
        kill(process.processIdentifier, SIGTERM)
        await process.exited()
        #expect(process.terminationStatus == 130)
        #expect(await ProcessProbe.noneLeft(withMarker: marker), "pip outlived the interrupted install")
    }
}
