import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

/// A real PostgreSQL server of its own for one test, started by `scripts/postgres` (initdb in a temporary folder, a
/// free loopback port, a password, TLS offered), and stopped with `stop()`.
final class PostgresServer: @unchecked Sendable {
    let directory: TemporaryDirectory
    /// The URL without the password (it is in `password`, for PGPASSWORD or the URL).
    let url: String
    let password: String
    let port: Int

    init(listen: [String] = []) async throws {
        directory = try TemporaryDirectory()
        let arguments =
            ["start", directory.url.path] + (listen.isEmpty ? [] : ["--listen", listen.joined(separator: ",")])
        let started = try await Self.script(arguments)
        try #require(started.code == 0, "scripts/postgres start failed: \(started.stderr)")
        url = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        password = try String(contentsOf: directory.url.appendingPathComponent("password"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        port = try #require(url.firstMatch(of: /:(\d+)\//).flatMap { Int($0.1) })
    }

    /// The URL with the password in it.
    var urlWithPassword: String { url.replacingOccurrences(of: "autocoder@", with: "autocoder:\(password)@") }

    /// The URL on another of the server's addresses.
    func url(host: String) -> String { url.replacingOccurrences(of: "127.0.0.1", with: host) }

    /// Stops the server, leaves it down for `seconds`, and starts it again.
    func restart(down seconds: Int) async throws {
        let restarted = try await Self.script(["restart", directory.url.path, String(seconds)])
        try #require(restarted.code == 0, "scripts/postgres restart failed: \(restarted.stderr)")
    }

    func stop() async {
        _ = try? await Self.script(["stop", directory.url.path])
    }

    /// `sql`'s result, one row per line, columns separated by `|` (psql's unaligned output).
    func query(_ sql: String) async throws -> String {
        let result = try await ProcessRunner().run(
            ProcessRequest(
                executable: "/usr/bin/psql", arguments: [url, "-At", "-c", sql],
                environment: ["PGPASSWORD": password, "PATH": "/usr/bin:/bin"], workingDirectory: "/tmp",
                timeout: .seconds(30)))
        try #require(result.shellExitCode == 0, "psql failed: \(result.standardError.text)")
        return result.standardOutput.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits (up to `seconds`) until `sql` answers `expected`.
    func wait(until sql: String, is expected: String, seconds: Double = 60) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var last = ""
        while ContinuousClock.now < deadline {
            last = (try? await query(sql)) ?? ""
            if last == expected { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("\(sql) answered '\(last)', not '\(expected)', within \(seconds) s")
        throw CancellationError()
    }

    private static func script(_ arguments: [String]) async throws -> (code: Int32, stdout: String, stderr: String) {
        let result = try await ProcessRunner().run(
            ProcessRequest(
                executable: CLI.repository.appendingPathComponent("scripts/postgres").path, arguments: arguments,
                environment: ProcessInfo.processInfo.environment, workingDirectory: "/tmp", timeout: .seconds(300),
                limits: ResourceLimits(fileSizeBytes: nil, openFiles: nil)))
        return (result.shellExitCode, result.standardOutput.text, result.standardError.text)
    }
}

/// A task set of `count` Python problems whose tests take `seconds` each, with their solutions.
func slowTaskSet(_ count: Int, seconds: Double, in directory: TemporaryDirectory) throws -> String {
    for index in 0..<count {
        let name = String(format: "p%02d", index)
        _ = try directory.write("set/\(name)/task.md", "Write `value()` in `solution.py`: it returns \(index).\n")
        _ = try directory.write("set/\(name)/starter/solution.py", "def value():\n    return None\n")
        _ = try directory.write(
            "set/\(name)/tests/test_value.py",
            "import time\nfrom solution import value\n\ndef test_value():\n    time.sleep(\(seconds))\n"
                + "    assert value() == \(index)\n")
        _ = try directory.write("set/\(name)/solution/solution.py", "def value():\n    return \(index)\n")
    }
    return directory.url.appendingPathComponent("set").path
}

/// A worker process (`autocoder worker`), its stderr kept in a file.
final class WorkerProcess: @unchecked Sendable {
    let process = Process()
    let log: URL

    /// Starts `autocoder worker` on `database` (with `prefix` before it, such as `ip netns exec NAME`).
    init(
        database: String, password: String, arguments: [String], log: URL, prefix: [String] = []
    ) throws {
        self.log = log
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let command = prefix + [CLI.binary, "worker", "--database", database] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.currentDirectoryURL = CLI.repository
        var environment = ProcessInfo.processInfo.environment
        environment["AUTOCODER_PROVIDER"] = nil
        environment["AUTOCODER_HOME"] = CLI.home
        environment["PGPASSWORD"] = password
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
    }

    var stderr: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits (up to `seconds`) for the worker to exit; its exit status, or `nil` if it still runs (then killed).
    func exit(within seconds: Double) async -> Int32? {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(100)) }
        guard !process.isRunning else {
            signal(SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }
}
