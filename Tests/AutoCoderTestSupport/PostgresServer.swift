import AutoCoderProcess
import Foundation
import Testing

/// A real PostgreSQL server of its own for one test, started by `scripts/postgres` (initdb in a temporary folder, a
/// free loopback port, a password, TLS offered), and stopped with `stop()`.
public final class PostgresServer: @unchecked Sendable {
    public let directory: TemporaryDirectory
    /// The URL without the password (it is in `password`, for PGPASSWORD or the URL).
    public let url: String
    public let password: String
    public let port: Int

    public init(listen: [String] = []) async throws {
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
    public var urlWithPassword: String { url.replacingOccurrences(of: "autocoder@", with: "autocoder:\(password)@") }

    /// The URL on another of the server's addresses.
    public func url(host: String) -> String { url.replacingOccurrences(of: "127.0.0.1", with: host) }

    /// Stops the server, leaves it down for `seconds`, and starts it again.
    public func restart(down seconds: Int) async throws {
        let restarted = try await Self.script(["restart", directory.url.path, String(seconds)])
        try #require(restarted.code == 0, "scripts/postgres restart failed: \(restarted.stderr)")
    }

    public func stop() async {
        _ = try? await Self.script(["stop", directory.url.path])
    }

    /// A server outlives no test, even one that failed half-way: the last reference stops it.
    deinit {
        let process = Process()
        process.executableURL = Self.repository.appendingPathComponent("scripts/postgres")
        process.arguments = ["stop", directory.url.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        if (try? process.run()) != nil { process.waitUntilExit() }
    }

    /// `sql`'s result, one row per line, columns separated by `|` (psql's unaligned output).
    public func query(_ sql: String) async throws -> String {
        let result = try await ProcessRunner().run(
            ProcessRequest(
                executable: "/usr/bin/psql", arguments: [url, "-At", "-c", sql],
                environment: ["PGPASSWORD": password, "PATH": "/usr/bin:/bin"], workingDirectory: "/tmp",
                timeout: .seconds(30)))
        try #require(result.shellExitCode == 0, "psql failed: \(result.standardError.text)")
        return result.standardOutput.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits (up to `seconds`) until `sql` answers `expected`.
    public func wait(until sql: String, is expected: String, seconds: Double = 60) async throws {
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

    /// The repository's root, for scripts/postgres.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private static func script(_ arguments: [String]) async throws -> (code: Int32, stdout: String, stderr: String) {
        let result = try await ProcessRunner().run(
            ProcessRequest(
                executable: Self.repository.appendingPathComponent("scripts/postgres").path, arguments: arguments,
                environment: ProcessInfo.processInfo.environment, workingDirectory: "/tmp", timeout: .seconds(300),
                limits: ResourceLimits(fileSizeBytes: nil, openFiles: nil)))
        return (result.shellExitCode, result.standardOutput.text, result.standardError.text)
    }
}
