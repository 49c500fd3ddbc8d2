import AutoCoderTestSupport
import Foundation

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

    /// A worker outlives no test, even one that failed half-way.
    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

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
