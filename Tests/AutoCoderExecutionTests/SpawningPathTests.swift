import AutoCoder
import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderExecution

/// Every kind of child autocoder starts begins with an empty signal mask and no ignored signals, whatever thread
/// started it (Swift's concurrency threads block almost every signal, and Foundation's `Process` passed that mask
/// on: a pip install then hung forever waiting for SIGCHLD). Each child reports its own `/proc/self/status` lines.
@Suite struct SpawningPathTests {
    static let report = "grep -E '^Sig(Blk|Ign):' /proc/self/status"

    /// The `SigBlk` and `SigIgn` values of a report.
    static func masks(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0].hasPrefix("Sig") { result[parts[0]] = parts[1] }
        }
        return result
    }

    /// Nothing blocked, and none of the standard signals (1–31) ignored. glibc keeps its own real-time signals 32
    /// and 33, which no program can set, out of the reset, and some parents ignore them.
    static func expectClean(_ text: String, _ what: Comment) {
        let masks = masks(text)
        #expect(masks["SigBlk"] == "0000000000000000", what)
        let ignored = UInt64(masks["SigIgn"] ?? "", radix: 16)
        #expect(ignored.map { $0 & 0x7fff_ffff } == 0, "ignored: \(masks["SigIgn"] ?? "none"); \(what)")
    }

    /// The calling thread's own mask is not empty, so a child that inherited it would show it.
    @Test func theSpawningThreadsBlockSignals() {
        var mask = sigset_t()
        pthread_sigmask(SIG_SETMASK, nil, &mask)
        #expect(sigismember(&mask, SIGCHLD) == 1, "a cooperative-pool thread is expected to block SIGCHLD")
    }

    @Test func boundedPrograms() async throws {
        let result = try await ProcessRunner().run(
            ProcessRequest(executable: "/bin/sh", arguments: ["-c", Self.report], workingDirectory: "/tmp"))
        Self.expectClean(result.standardOutput.text, "ProcessRunner (test runs, exec, builds, the command generator)")
    }

    @Test func helpers() async throws {
        let lines = LinesBox()
        let (status, _) = try await HelperCommand(
            ProcessRequest(executable: "/bin/sh", arguments: ["-c", Self.report], workingDirectory: "/tmp")
        ).run { lines.append($0) }
        #expect(status == 0)
        Self.expectClean(lines.text, "HelperCommand (pip, venv)")
    }

    @Test func backgroundProcesses() async throws {
        let directory = try TemporaryDirectory()
        let file = directory.url.appendingPathComponent("status").path
        let output = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let process = try await BackgroundProcess.start(
            .init(
                executable: "/bin/sh", arguments: ["-c", Self.report], environment: ["PATH": "/usr/bin:/bin"],
                output: output))
        #expect(await process.waitForExit() == .exited(0))
        Self.expectClean(try String(contentsOfFile: file, encoding: .utf8), "BackgroundProcess (model server, worker)")
    }

    /// The test process itself, cold and warm: what generated code runs in.
    @Test(arguments: [false, true])
    func testProcesses(warm: Bool) async throws {
        let tests = """
            def test_report():
                print(open('/proc/self/status').read())
                assert False
            """
        let task = CodingTask(description: "mask", tests: [CodeFile(path: "test_mask.py", content: tests)])
        let executor = PytestExecutor(warmWorker: warm, workers: .forTests)
        if warm { try #require(await executor.warmUp(workers: 1)) }
        let result = try await executor.test([], for: task)
        let report = result.output.split(separator: "\n").filter { $0.hasPrefix("Sig") }.joined(separator: "\n")
        #expect(!report.isEmpty, "no status lines in: \(result.output.prefix(500))")
        // Python itself ignores SIGPIPE and SIGXFSZ at start-up, so only the mask is checked here.
        #expect(Self.masks(report)["SigBlk"] == "0000000000000000", "pytest's test process (warm: \(warm))")
    }

    /// No Swift source outside the spawning module starts a process another way.
    @Test func noOtherWayToSpawn() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Sources"
        ).standardizedFileURL
        let forbidden = ["Process()", "posix_spawn", "fork()", "Subprocess.run", "import Subprocess", "execv"]
        var offenders: [String] = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            // The languages' scans name these words as what generated code may not call: rules, not calls.
            guard file.pathExtension == "swift", !file.path.contains("/Sources/AutoCoderProcess/"),
                !file.lastPathComponent.hasSuffix("IntegrityScan.swift")
            else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            for word in forbidden where text.contains(word) {
                offenders.append("\(file.lastPathComponent): \(word)")
            }
        }
        #expect(offenders.isEmpty, "processes must start through AutoCoderProcess: \(offenders)")
    }
}

private final class LinesBox: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var text: String { lock.withLock { lines.joined(separator: "\n") } }
}
