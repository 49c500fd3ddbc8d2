import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

/// `autocoder serve` for real: the server on a free loopback port, driven with curl.
@Suite(.serialized) struct ServeCommandTests {
    /// A running server and the port it chose.
    final class Running: @unchecked Sendable {
        let process: Process
        let port: Int

        init(_ arguments: [String] = [], home: URL, environment extra: [String: String] = [:]) throws {
            process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["serve", "--port", "0"] + arguments
            var environment = ProcessInfo.processInfo.environment
            environment["AUTOCODER_HOME"] = home.path
            environment["AUTOCODER_PROVIDER"] = nil
            process.environment = environment.merging(extra) { $1 }
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            var seen = ""
            var found: Int?
            while found == nil {
                let data = errors.fileHandleForReading.availableData
                guard !data.isEmpty else { break }
                seen += String(decoding: data, as: UTF8.self)
                found = seen.firstMatch(of: /serving on http:\/\/[^:]+:(\d+)/).flatMap { Int($0.1) }
            }
            port = try #require(found, "no port in: \(seen)")
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }

        /// `curl` against the server: the status code and the body.
        func curl(_ arguments: [String]) async throws -> (status: Int, body: String) {
            let result = try await ProcessRunner().run(
                ProcessRequest(
                    executable: "/usr/bin/curl", arguments: ["-s", "-w", "\n%{http_code}"] + arguments,
                    workingDirectory: "/tmp", timeout: .seconds(60)))
            var lines = result.standardOutput.text.split(separator: "\n", omittingEmptySubsequences: false)
            let status = Int(lines.removeLast()) ?? 0
            return (status, lines.joined(separator: "\n"))
        }

        func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }
    }

    static let tests = #"{"test_add.py": "from add import add\n\ndef test_add():\n    assert add(1, 2) == 3\n"}"#

    @Test func runsTestsAndStreamsARunsEvents() async throws {
        let home = try TemporaryDirectory()
        let temporary = home.url.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        let server = try Running(home: home.url, environment: ["TMPDIR": temporary.path])
        defer { server.stop() }
        #expect(try await server.curl([server.url("/healthz")]).status == 200)

        let test = try await server.curl([
            "-X", "POST", server.url("/v1/test"), "-d",
            #"{"code": {"add.py": "def add(a, b):\n    return a + b\n"}, "tests": \#(Self.tests)}"#,
        ])
        #expect(test.status == 200 && test.body.contains(#""passed":true"#), "\(test)")
        let bad = try await server.curl(["-X", "POST", server.url("/v1/test"), "-d", #"{"tests": {}}"#])
        #expect(bad.status == 400 && bad.body.contains("'code' is missing"), "\(bad)")
        let notJSON = try await server.curl(["-X", "POST", server.url("/v1/exec"), "-d", "nope"])
        #expect(notJSON.status == 400, "\(notJSON)")
        let unknown = try await server.curl([
            "-X", "POST", server.url("/v1/exec"), "-d", #"{"code": "print(1)", "timout": 5}"#,
        ])
        #expect(unknown.status == 400 && unknown.body.contains("Unknown field 'timout'"), "\(unknown)")
        let ran = try await server.curl(["-X", "POST", server.url("/v1/exec"), "-d", #"{"code": "print(6 * 7)"}"#])
        #expect(ran.status == 200 && ran.body.contains(#""stdout":"42\n""#), "\(ran)")

        let started = try await server.curl([
            "-X", "POST", server.url("/v1/runs"), "-d",
            #"{"description": "Write add(a, b) in add.py.", "tests": \#(Self.tests), "solution": "add.py", "script": ["```python\ndef add(a, b):\n    return a - b\n```", "```python\ndef add(a, b):\n    return a + b\n```"]}"#,
        ])
        #expect(started.status == 202, "\(started)")
        let id = try #require(started.body.firstMatch(of: /"id":"([^"]+)"/).map { String($0.1) })
        let stream = try await server.curl(["-N", server.url("/v1/runs/\(id)/events")])
        #expect(stream.status == 200)
        #expect(stream.body.hasPrefix("id: 1\ndata: {") && stream.body.contains(#""type":"run.started""#))
        #expect(stream.body.contains(#""type":"run.finished""#) && stream.body.contains(#""solved":true"#))
        let resumed = try await server.curl(["-N", "-H", "Last-Event-ID: 5", server.url("/v1/runs/\(id)/events")])
        #expect(resumed.body.hasPrefix("id: 6\n"), "\(resumed.body.prefix(200))")
        // A run's task folder goes when the run ends, and a refused run's at once.
        let refused = try await server.curl(["-X", "POST", server.url("/v1/runs"), "-d", #"{"description": "x"}"#])
        #expect(refused.status == 400, "\(refused)")
        func taskFolders() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? [])
                .filter { $0.hasPrefix("autocoder-serve-") }
        }
        for _ in 0..<100 where !taskFolders().isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        #expect(taskFolders().isEmpty, "\(taskFolders())")

        let list = try await server.curl([server.url("/v1/runs?limit=5")])
        #expect(
            list.status == 200 && list.body.contains(id) && list.body.contains(#""tests_passed":1,"tests_total":1"#))
        for query in ["limit=abc", "offset=x", "limit=0"] {
            let wrong = try await server.curl([server.url("/v1/runs?\(query)")])
            #expect(wrong.status == 400 && wrong.body.contains("limit must be"), "\(query): \(wrong)")
        }
        let nextPage = try await server.curl([server.url("/v1/runs?limit=5&offset=1")])
        #expect(nextPage.status == 200 && !nextPage.body.contains(id), "the next page starts after the run")
        #expect(try await server.curl([server.url("/v1/runs/\(id)")]).status == 200)
        #expect(try await server.curl([server.url("/v1/runs/nothing-like-it")]).status == 404)
        #expect(try await server.curl([server.url("/v1/runs/nothing-like-it/events")]).status == 404)
    }

    @Test func aCancelledRunsProcessesGo() async throws {
        let home = try TemporaryDirectory()
        let server = try Running(["--max-runs", "1", "--queue", "1"], home: home.url)
        defer { server.stop() }
        let slow = try await SlowRun(on: server, name: "cancel")
        let id = slow.id
        let seen = try await slow.waitUntil(running: true)
        #expect(seen, "the slow test's child was seen running")
        // One run at a time and one waiting: a second run waits, a third is refused with 429.
        let solve =
            #"{"description": "Queued.", "tests": \#(Self.tests), "solution": "add.py", "script": ["```python\ndef add(a, b):\n    return a + b\n```"]}"#
        let queued = try await server.curl(["-X", "POST", server.url("/v1/runs"), "-d", solve])
        #expect(queued.status == 202, "\(queued)")
        let refused = try await server.curl(["-X", "POST", server.url("/v1/runs"), "-d", solve])
        #expect(refused.status == 429 && refused.body.contains("queue is full"), "\(refused)")
        // A body over the limit is refused before it is read whole.
        let folder = try TemporaryDirectory()
        let huge = try folder.write("huge.json", String(repeating: "x", count: 2_000_000))
        let tooLarge = try await server.curl(["-X", "POST", server.url("/v1/exec"), "--data-binary", "@\(huge.path)"])
        #expect(tooLarge.status == 413, "\(tooLarge.status)")
        #expect(try await server.curl(["-X", "DELETE", server.url("/v1/runs/\(id)")]).status == 202)
        #expect(try await slow.waitUntil(running: false), "the cancelled run's processes are gone")
    }

    /// SIGTERM: the run gets the grace period, then is cancelled (its processes killed), marked `interrupted`, and
    /// the server exits 0.
    @Test func sigtermCancelsWhatOutlastsTheGraceAndMarksItInterrupted() async throws {
        let home = try TemporaryDirectory()
        let server = try Running(["--grace", "1"], home: home.url)
        let slow = try await SlowRun(on: server, name: "term")
        let id = slow.id
        let seen = try await slow.waitUntil(running: true)
        #expect(seen, "the slow test's child was seen running")
        kill(server.process.processIdentifier, SIGTERM)
        for _ in 0..<120 where server.process.isRunning { try await Task.sleep(for: .milliseconds(250)) }
        #expect(!server.process.isRunning && server.process.terminationStatus == 0, "the server exits 0")
        #expect(try await !slow.running(), "the run's processes are gone")
        let list = try await CLI.run(["runs", "list", "--json"], environment: ["AUTOCODER_HOME": home.url.path])
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(runs.first { $0["id"] as? String == id }?["status"] as? String == "interrupted", "\(list.stdout)")
    }

    /// schemathesis (PyPI) against the live server and its own /openapi.json: no server error, and no response that
    /// breaks the document. Runs it may start use the script generator (a run without replies is bad input).
    @Test func schemathesisFindsNoServerErrorAndNoResponseOutsideTheDocument() async throws {
        let home = try TemporaryDirectory()
        let server = try Running(
            ["--max-runs", "1", "--queue", "2"], home: home.url, environment: ["AUTOCODER_PROVIDER": "script"])
        defer { server.stop() }
        let document = try await server.curl([server.url("/openapi.json")])
        #expect(document.status == 200 && document.body.contains(#""openapi": "3.1.0""#))
        let python = try await PythonInterpreter.resolve()
        let check = try await ProcessRunner().run(
            ProcessRequest(
                executable: python.path,
                arguments: [
                    "-m", "schemathesis.cli", "run", server.url("/openapi.json"), "--url", server.url(""), "--checks",
                    "not_a_server_error,response_schema_conformance", "--max-examples", "25",
                ], workingDirectory: home.url.path, timeout: .seconds(600)))
        #expect(
            check.exitCode == 0 && check.standardOutput.text.contains(" passed"),
            "\(check.standardOutput.text.suffix(3000))")
    }

    /// A thousand idle event streams on a running run, clients that vanish mid-stream, and the run's process
    /// killed from outside (Tests/Fixtures/serve/reliability.py): the server keeps answering, the run ends.
    @Test func theServerOutlivesIdleStreamsVanishingClientsAndKilledProcesses() async throws {
        let home = try TemporaryDirectory()
        let server = try Running(home: home.url)
        defer { server.stop() }
        let python = try await PythonInterpreter.resolve()
        let check = try await ProcessRunner().run(
            ProcessRequest(
                executable: python.path,
                arguments: [
                    CLI.repository.appendingPathComponent("Tests/Fixtures/serve/reliability.py").path, server.url(""),
                ], workingDirectory: home.url.path, timeout: .seconds(180)))
        #expect(
            check.exitCode == 0 && check.standardOutput.text.hasSuffix("ok\n"),
            "\(check.standardOutput.text.suffix(2000)) \(check.standardError.text.suffix(3000))")
    }

    @Test func anotherAddressNeedsATokenAndEveryRequestCarriesIt() async throws {
        let home = try TemporaryDirectory()
        let refused = try await CLI.run(["serve", "--host", "0.0.0.0", "--port", "0"])
        #expect(refused.code == 2 && refused.stderr.contains("--token"), "\(refused.stderr)")
        let server = try Running(["--token", "s3cret"], home: home.url)
        defer { server.stop() }
        #expect(try await server.curl([server.url("/healthz")]).status == 401)
        #expect(try await server.curl(["-H", "Authorization: Bearer wrong!", server.url("/healthz")]).status == 401)
        #expect(try await server.curl(["-H", "Authorization: Bearer s3cret", server.url("/healthz")]).status == 200)
        // Any address of 127.0.0.0/8 is loopback: no token needed.
        let other = try Running(["--host", "127.0.0.2"], home: home.url)
        defer { other.stop() }
        let health = try await other.curl(["http://127.0.0.2:\(other.port)/healthz"])
        #expect(health.status == 200, "\(health)")
    }

    @Test func anotherMethodOnADocumentedPathIs405WithWhatItAllows() async throws {
        let home = try TemporaryDirectory()
        let server = try Running([], home: home.url)
        defer { server.stop() }
        let document = CLI.repository.appendingPathComponent("Sources/AutoCoderServe/Resources/openapi.json")
        let openAPI = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: document)) as? [String: Any])
        let paths = try #require(openAPI["paths"] as? [String: [String: Any]])
        #expect(paths.count >= 6)
        for (path, operations) in paths {
            let documented = Set(operations.keys).intersection(["get", "post", "put", "patch", "delete"])
            for method in ["put", "patch", "delete", "post"] where !documented.contains(method) {
                let url = server.url(path.replacingOccurrences(of: "{id}", with: "abcd1234"))
                let answer = try await server.curl(["-X", method.uppercased(), url])
                #expect(answer.status == 405, "\(method) \(path): \(answer)")
                #expect(answer.body.contains("answers"), "\(method) \(path): \(answer.body)")
            }
        }
        let unknown = try await server.curl(["-X", "PUT", server.url("/v1/nothing")])
        #expect(unknown.status == 404)
    }

    @Test func aDamagedStoreIsSaidAtStartNotFoundByARequest() async throws {
        let home = try TemporaryDirectory()
        let store = home.url.appendingPathComponent("runs.sqlite").path
        let solved = try await CLI.run(
            [
                "solve", "examples/fizzbuzz", "--provider", "script", "--script", "examples/fizzbuzz/replies.json",
                "--store", store,
            ])
        #expect(solved.code == 0, "\(solved.stderr)")
        let handle = try #require(FileHandle(forUpdatingAtPath: store))
        try handle.seek(toOffset: 4096 * 3)
        try handle.write(contentsOf: Data(repeating: 0xDE, count: 6000))
        try handle.close()
        let serve = try await CLI.run(["serve", "--port", "0"], environment: ["AUTOCODER_HOME": home.url.path])
        #expect(serve.code == 3, "\(serve.stderr)")
        #expect(serve.stderr.hasPrefix("autocoder: error: cannot serve: The run store \(store) is damaged"))
        #expect(serve.stderr.split(separator: "\n").count == 1, "\(serve.stderr)")
    }

    @Test func anAddressThatCannotBeBoundIsOneLineAndExitTwo() async throws {
        // A port another server holds, and an address that is not this machine's.
        let home = try TemporaryDirectory()
        let server = try Running([], home: home.url)
        defer { server.stop() }
        let taken = try await CLI.run(
            ["serve", "--port", String(server.port)], environment: ["AUTOCODER_HOME": home.url.path])
        #expect(taken.code == 2, "\(taken.stderr)")
        #expect(taken.stderr == "autocoder: error: cannot serve on 127.0.0.1:\(server.port): Address already in use\n")
        let foreign = try await CLI.run(
            ["serve", "--host", "192.0.2.1", "--port", "0", "--token", "t"],
            environment: ["AUTOCODER_HOME": home.url.path])
        #expect(foreign.code == 2, "\(foreign.stderr)")
        #expect(foreign.stderr.hasPrefix("autocoder: error: cannot serve on 192.0.2.1:0: "), "\(foreign.stderr)")
        #expect(!foreign.stderr.contains("Fatal error") && foreign.stderr.split(separator: "\n").count == 1)
    }
}

/// A run started on a live server whose test starts a sleeping child with a marker on its command line, to watch
/// for while the run goes on and after it is stopped.
struct SlowRun {
    let id: String
    let marker: String

    init(on server: ServeCommandTests.Running, name: String) async throws {
        marker = "autocoder-serve-\(name)-\(ProcessInfo.processInfo.processIdentifier)"
        let test =
            #"import subprocess, sys\nfrom add import add\n\ndef test_slow():\n    subprocess.run([sys.executable, '-c', 'import time; time.sleep(60)', '\#(marker)'])\n"#
        let started = try await server.curl([
            "-X", "POST", server.url("/v1/runs"), "-d",
            #"{"description": "Slow.", "tests": {"test_add.py": "\#(test)"}, "solution": "add.py", "script": ["```python\ndef add(a, b):\n    return a + b\n```"], "max_iterations": 1}"#,
        ])
        id = try #require(started.body.firstMatch(of: /"id":"([^"]+)"/).map { String($0.1) }, "\(started)")
    }

    /// Whether the marked child is alive.
    func running() async throws -> Bool {
        try await ProcessRunner().run(
            ProcessRequest(executable: "/usr/bin/pgrep", arguments: ["-f", marker], workingDirectory: "/tmp")
        ).exitCode == 0
    }

    /// Waits up to 15 s for the child to be `running` (or gone); whether it came to that.
    func waitUntil(running wanted: Bool) async throws -> Bool {
        for _ in 0..<60 {
            if try await running() == wanted { return true }
            try await Task.sleep(for: .milliseconds(250))
        }
        return false
    }
}
