import AutoCoder
import Foundation
import Testing

@testable import AutoCoderExecution

/// The one test-run template every language fills in (``TestRun``): what it guarantees whatever the language's
/// steps do.
@Suite struct TestRunTemplateTests {
    static let task = CodingTask(
        description: "t", tests: [CodeFile(path: "t_test.txt", content: "the tests\n")], language: "go",
        solutionPath: "s.txt", timeoutSeconds: 7, environment: ["TASK_VARIABLE": "given"])

    static func perform(
        files: [CodeFile] = [CodeFile(path: "s.txt", content: "code\n")],
        steps: (inout TestRun) async throws -> TestResult
    ) async throws -> TestResult {
        try await TestRun.perform(
            ExecutorSettings(timeout: .seconds(30), sandbox: .off), task: task,
            files: files + task.tests, tests: task.tests, steps: steps)
    }

    @Test func theTasksTimeoutDecidesAndTheEnvironmentIsAllowlistedWithTheTasksVariables() async throws {
        let key = "AUTOCODER_TEMPLATE_SECRET_KEY"
        setenv(key, "sk-not-for-the-code", 1)
        defer { unsetenv(key) }
        var seen: (Duration, [String: String], Bool)?
        _ = try await Self.perform { run in
            seen = (run.timeout, run.environment, run.timeLeft <= run.timeout)
            return TestResult(outcome: .passed)
        }
        let (timeout, environment, bounded) = try #require(seen)
        #expect(timeout == .seconds(7))
        #expect(bounded)
        #expect(environment["TASK_VARIABLE"] == "given")
        #expect(environment[key] == nil)
    }

    @Test func aStepThatCannotStartOrAMissingToolIsAnInfrastructureError() async throws {
        let missing = try await Self.perform { _ in throw ToolMissing("no frobnicator on PATH") }
        #expect(missing.outcome == .infrastructureError)
        #expect(missing.message == "no frobnicator on PATH")
        let unlaunchable = try await Self.perform { run in
            let step = try await run.step("/nonexistent/compiler", [])
            return TestResult(outcome: step.process.exitCode == 0 ? .passed : .error)
        }
        #expect(unlaunchable.outcome != .passed, "\(unlaunchable.summary)")
    }

    @Test func cancellationIsThrownNotJudged() async throws {
        await #expect(throws: CancellationError.self) {
            _ = try await Self.perform { _ in throw CancellationError() }
        }
    }

    @Test func stepsThatChangeATestFileOrPassWithoutRightsGetTheFinalVerdict() async throws {
        let rewritten = try await Self.perform { run in
            try Data("assert True\n".utf8).write(to: run.workspace.directory.appendingPathComponent("t_test.txt"))
            return TestResult(outcome: .passed)
        }
        #expect(rewritten.outcome == .error, "\(rewritten.summary)")
        #expect(rewritten.message?.contains("t_test.txt") == true)
        let key = "AUTOCODER_TEMPLATE_API_KEY"
        setenv(key, "sk-template-secret-0123456789", 1)
        defer { unsetenv(key) }
        let leaked = try await Self.perform { _ in
            TestResult(outcome: .failed, output: "the key is sk-template-secret-0123456789")
        }
        #expect(!leaked.output.contains("sk-template-secret-0123456789"), "\(leaked.output)")
    }

    @Test func theWorkspaceIsGoneAfterTheRun() async throws {
        var directory: URL?
        _ = try await Self.perform { run in
            directory = run.workspace.directory
            return TestResult(outcome: .passed)
        }
        let path = try #require(directory).path
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aProgramRunsAfterItsBuildAndABuildFailureIsExitCodeOne() async throws {
        let settings = ExecutorSettings(timeout: .seconds(30), sandbox: .off)
        let ran = try await ProgramRun.perform(
            settings, code: "echo hello \"$@\"\n", fileName: "p.sh", timeout: nil,
            input: ProgramInput(arguments: ["world"])
        ) { run in
            if let failure = try await run.build("/bin/sh", ["-n", "p.sh"]) { return failure }
            return try await run.program("/bin/sh", ["p.sh"])
        }
        #expect(ran.exitCode == 0 && ran.stdout == "hello world\n", "\(ran)")
        let broken = try await ProgramRun.perform(
            settings, code: "if then fi (\n", fileName: "p.sh", timeout: nil, input: ProgramInput()
        ) { run in
            if let failure = try await run.build("/bin/sh", ["-n", "p.sh"]) { return failure }
            return try await run.program("/bin/sh", ["p.sh"])
        }
        #expect(broken.exitCode == 1 && broken.message == "The code does not compile.", "\(broken)")
        #expect(!broken.stderr.isEmpty)
    }

    /// Every step of every language starts under Landlock (the launcher in ``Sandbox``), not only pytest's: with
    /// `unshare` alone, which makes no read-only view, it is what keeps a step's writes in the run's directories.
    @Test func everyStepWritesOnlyInItsOwnDirectoriesUnderLandlock() async throws {
        try #require(await SandboxCapabilities.current().landlockABI > 0, "this kernel has no Landlock")
        let escape = "/var/tmp/autocoder-template-escape-\(UInt64.random(in: 1...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: escape) }
        var output = ""
        _ = try await TestRun.perform(
            ExecutorSettings(timeout: .seconds(30), sandbox: Sandbox(namespaces: .unshare)), task: Self.task,
            files: [CodeFile(path: "s.txt", content: "code\n")] + Self.task.tests, tests: Self.task.tests
        ) { run in
            let step = try await run.step("/bin/sh", ["-c", "echo x > \(escape); echo x > mine.txt && echo kept"])
            output = step.process.standardOutput.text + step.process.standardError.text
            return TestResult(outcome: .failed)
        }
        #expect(!FileManager.default.fileExists(atPath: escape), "a step wrote \(escape) on the host: \(output)")
        #expect(output.contains("Permission denied") && output.contains("kept"), "\(output)")
    }
}
