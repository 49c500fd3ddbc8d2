import AutoCoder
import AutoCoderApp
import AutoCoderStore
import AutoCoderTestSupport
import Foundation
import Testing

/// `fix` in-process, on a copy of a real (small) Python library with a seeded bug and its own tests, in a real
/// git repository: the baseline, edits that do and do not apply, the protected tests, the diff, apply and commit.
@Suite struct FixSessionTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/repositories/textstats").standardizedFileURL

    static let wrongEdit =
        "textstats/stats.py\n<<<<<<< SEARCH\n    pieces = text.split()\n=======\n    pieces = words(text)\n>>>>>>> REPLACE\n"
    static let rightEdit =
        "textstats/stats.py\n<<<<<<< SEARCH\n    pieces = raw_words(text)\n=======\n    pieces = words(text)\n>>>>>>> REPLACE\n"

    /// A copy of the fixture, committed in a new git repository, and a script of `replies`.
    func repository(replies: [String]) throws -> (TemporaryDirectory, URL, RunConfiguration) {
        let directory = try TemporaryDirectory()
        let root = directory.url.appendingPathComponent("textstats")
        try FileManager.default.copyItem(at: Self.fixture, to: root)
        try Shell.run("git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm base", in: root)
        let script = directory.url.appendingPathComponent("script.json")
        try JSONEncoder().encode(replies).write(to: script)
        let configuration = RunConfiguration(
            generator: GeneratorConfiguration(script: script.path),
            store: directory.url.appendingPathComponent("runs.sqlite").path)
        return (directory, root, configuration)
    }

    @Test func aFixThatFailsToApplyIsFedBackThenTheRightOneIsCommitted() async throws {
        let (directory, root, configuration) = try repository(replies: [Self.wrongEdit, Self.rightEdit])
        _ = directory
        let original = try String(contentsOf: root.appendingPathComponent("textstats/stats.py"), encoding: .utf8)
        let prepared = try await Session(configuration).fix(FixConfiguration(path: root.path, output: .commit))
        #expect(
            prepared.baseline.outcome == .failed && prepared.baseline.numPassed == 3 && prepared.baseline.numFailed == 1
        )
        #expect(prepared.repository.baseCommit?.count == 40)
        #expect(prepared.repository.files.map(\.path).contains("textstats/stats.py"))
        #expect(prepared.repository.map.contains("textstats/stats.py: word_count, mean_word_length, sentence_count"))
        let run = try #require(prepared.run)
        let outcome = await run.outcome()
        #expect(outcome.solved && outcome.iterations == 2)
        #expect(outcome.steps.first?.testResult?.message?.contains("could not be applied") == true)
        // Nothing of the user's tree changed during the run.
        #expect(try String(contentsOf: root.appendingPathComponent("textstats/stats.py"), encoding: .utf8) == original)
        let diff = Session.diff(outcome.finalFiles, repository: prepared.repository)
        #expect(diff.contains("--- a/textstats/stats.py") && diff.contains("+    pieces = words(text)"))
        let branch = try #require(try await Session.deliver(outcome, repository: prepared.repository, as: .commit))
        #expect(branch == "autocoder/\(outcome.runID.prefix(8))")
        // The branch is made beside the user's: the checkout and the work tree are as they were.
        #expect(try Shell.run("git rev-parse --abbrev-ref HEAD", in: root) != branch)
        #expect(try Shell.run("git status --porcelain", in: root).isEmpty)
        #expect(try String(contentsOf: root.appendingPathComponent("textstats/stats.py"), encoding: .utf8) == original)
        #expect(try Shell.run("git log -1 --format=%s \(branch)", in: root).hasPrefix("autocoder: Fix "))
        let recorded = try RunStore(path: try #require(configuration.store)).run(outcome.runID)
        #expect(recorded.task.repository?.testCommand.hasSuffix("-m pytest") == true)
        // Fixed on the branch: a second fix there has nothing to do.
        _ = try Shell.run("git checkout -q \(branch)", in: root)
        let again = try await Session(configuration).fix(FixConfiguration(path: root.path))
        #expect(again.run == nil && again.baseline.outcome == .passed)
    }

    @Test func anEditOfAProtectedTestIsRejectedAndApplyWritesTheTree() async throws {
        let cheat =
            "tests/test_stats.py\n<<<<<<< SEARCH\n    assert mean_word_length(\"Hi, you!\") == 2.5\n=======\n    assert True\n>>>>>>> REPLACE\n"
        let (directory, root, configuration) = try repository(replies: [cheat, Self.rightEdit])
        _ = directory
        let prepared = try await Session(configuration).fix(FixConfiguration(path: root.path, output: .apply))
        let outcome = await try #require(prepared.run).outcome()
        #expect(outcome.solved && outcome.iterations == 2)
        #expect(outcome.steps.first?.testResult?.message?.contains("test file") == true)
        _ = try await Session.deliver(outcome, repository: prepared.repository, as: .apply)
        #expect(
            try String(contentsOf: root.appendingPathComponent("textstats/stats.py"), encoding: .utf8).contains(
                "pieces = words(text)"))
        #expect(try Shell.run("git status --porcelain", in: root) == "M textstats/stats.py")
    }

    @Test func badInputChangesNothing() async throws {
        let (directory, root, configuration) = try repository(replies: [Self.rightEdit])
        let session = Session(configuration)
        func refused(_ fix: FixConfiguration) async -> SessionError? {
            do {
                _ = try await session.fix(fix)
                return nil
            } catch {
                return error
            }
        }
        #expect(
            await refused(FixConfiguration(path: root.appendingPathComponent("nowhere").path))
                == .badInput("\(root.appendingPathComponent("nowhere").path) does not exist."))
        #expect(
            await refused(FixConfiguration(path: root.appendingPathComponent("README.md").path))?.message.contains(
                "is a file") == true)
        let empty = directory.url.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(await refused(FixConfiguration(path: empty.path))?.message.contains("--test-cmd") == true)
        #expect(
            await refused(FixConfiguration(path: root.path, testCommand: "no-such-runner --all")).map {
                if case .badInput = $0 { true } else { false }
            } == true)
        try "notes\n".write(to: root.appendingPathComponent("NOTES.txt"), atomically: true, encoding: .utf8)
        #expect(
            await refused(FixConfiguration(path: root.path, output: .apply))?.message.contains("uncommitted changes")
                == true)
        try FileManager.default.removeItem(at: root.appendingPathComponent("NOTES.txt"))
        // A suite that cannot even be collected is the machine's or the project's problem, not the model's: exit 3.
        try "def test_broken(:\n".write(
            to: root.appendingPathComponent("tests/test_broken.py"), atomically: true, encoding: .utf8)
        let broken = await refused(FixConfiguration(path: root.path))
        guard case .unavailable(let message) = broken else {
            Issue.record("a suite that cannot be collected was not refused: \(String(describing: broken))")
            return
        }
        #expect(message.contains("fails before running any test"))
        #expect(try Shell.run("git status --porcelain", in: root) == "?? tests/test_broken.py")
    }
}

/// Runs a shell command for a test's set-up and returns its trimmed output.
enum Shell {
    @discardableResult
    static func run(_ command: String, in directory: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// `fix` on a Swift package with a seeded bug: `swift test` in the sandbox, the exit code and XCTest's summary.
@Suite struct SwiftFixSessionTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/repositories/intervals").standardizedFileURL
    static let edit =
        "Sources/Intervals/Interval.swift\n<<<<<<< SEARCH\n        lower < other.upper && other.lower < upper\n=======\n"
        + "        lower <= other.upper && other.lower <= upper\n>>>>>>> REPLACE\n"

    @Test func aScriptedFixOfASwiftPackageIsCommitted() async throws {
        let directory = try TemporaryDirectory()
        let root = directory.url.appendingPathComponent("intervals")
        try FileManager.default.copyItem(at: Self.fixture, to: root)
        try Shell.run("git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm base", in: root)
        let script = directory.url.appendingPathComponent("script.json")
        try JSONEncoder().encode([Self.edit]).write(to: script)
        let session = Session(RunConfiguration(generator: GeneratorConfiguration(script: script.path), store: nil))
        let prepared = try await session.fix(FixConfiguration(path: root.path, output: .commit))
        #expect(prepared.repository.testCommand.hasSuffix("swift test"))
        #expect(prepared.baseline.outcome == .failed && prepared.baseline.message?.contains("2 failures") == true)
        #expect(prepared.repository.files.map(\.path).contains("Sources/Intervals/Interval.swift"))
        let outcome = await try #require(prepared.run).outcome()
        #expect(outcome.solved, "\(outcome.testResult?.summary ?? "")")
        let branch = try #require(try await Session.deliver(outcome, repository: prepared.repository, as: .commit))
        let subject = try Shell.run("git log -1 --format=%s \(branch)", in: root)
        #expect(subject.hasPrefix("autocoder:"))
        #expect(try Shell.run("git show --stat \(branch)", in: root).contains("Sources/Intervals/Interval.swift"))
    }
}

/// A recorded `fix` replays: the recorded edits are parsed and applied again, and the tests run for real.
@Suite struct FixReplayTests {
    @Test func aRecordedFixReplaysTheSame() async throws {
        let directory = try TemporaryDirectory()
        let root = directory.url.appendingPathComponent("textstats")
        try FileManager.default.copyItem(at: FixSessionTests.fixture, to: root)
        let script = directory.url.appendingPathComponent("script.json")
        try JSONEncoder().encode([FixSessionTests.wrongEdit, FixSessionTests.rightEdit]).write(to: script)
        let store = directory.url.appendingPathComponent("runs.sqlite").path
        let configuration = RunConfiguration(generator: GeneratorConfiguration(script: script.path), store: store)
        let prepared = try await Session(configuration).fix(FixConfiguration(path: root.path))
        let outcome = await try #require(prepared.run).outcome()
        #expect(outcome.solved && outcome.iterations == 2)
        let (replay, recorded) = try await Session(configuration).replay(outcome.runID)
        let again = await replay.outcome()
        #expect(again.solved && again.iterations == 2)
        #expect(ReplayComparison.departures(recorded: recorded, replay: again).isEmpty)
        #expect(again.finalFiles == outcome.finalFiles)
    }
}
