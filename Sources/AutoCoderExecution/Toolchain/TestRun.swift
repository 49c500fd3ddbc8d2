import AutoCoder
import Foundation

/// One test run of any language: the template every executor fills in with its own steps.
///
/// ``perform(_:task:files:tests:keepWrittenFiles:steps:)`` makes a fresh workspace holding the files, hands the
/// run to the language's steps, and puts what they return through the checks every verdict goes through (the tests
/// unchanged, the disk, the planted files, secrets redacted: ``Workspace/finalVerdict(_:tests:)``). A step that
/// cannot be launched, or a tool that is missing, makes the run `infrastructure_error`. Every step runs in the
/// sandbox, with the settings' limits, the allowlisted environment and what is left of the run's one deadline.
struct TestRun {
    let settings: ExecutorSettings
    let workspace: Workspace
    /// The whole run's wall-clock limit: the task's own, else the settings'.
    let timeout: Duration
    let deadline: ContinuousClock.Instant
    /// The allowlisted environment with the task's variables; a language adds its own.
    var environment: [String: String]

    /// The run of `files` (the tests among them, written last) against `task`, judged by `steps`; `tests` are the
    /// test files as written, checked unchanged after the run.
    static func perform(
        _ settings: ExecutorSettings, task: CodingTask, files: [CodeFile], tests: [CodeFile],
        keepWrittenFiles: Bool = false, steps: (inout TestRun) async throws -> TestResult
    ) async throws -> TestResult {
        let workspace: Workspace
        switch Workspace.forTestRun(sandbox: settings.sandbox, files: files, keepWrittenFiles: keepWrittenFiles) {
        case .success(let made): workspace = made
        case .failure(let failure): return failure.result
        }
        defer { workspace.remove() }
        let timeout = settings.timeout(for: task)
        var run = TestRun(
            settings: settings, workspace: workspace, timeout: timeout, deadline: .now + timeout,
            environment: ChildEnvironment.allowlisted(home: workspace.home.path).merging(task.environment) { $1 })
        let result: TestResult
        do {
            result = try await steps(&run)
        } catch let error as CancellationError {
            throw error
        } catch {
            return TestResult(outcome: .infrastructureError, message: error.localizedDescription)
        }
        return workspace.finalVerdict(result, tests: tests)
    }

    /// What is left of the run's time, at least one second (a program after its build).
    var timeLeft: Duration {
        max(deadline - .now, .seconds(1))
    }

    /// `executable` run in the workspace, in the sandbox, within ``timeLeft``: `readOnly` besides the workspace,
    /// a seal's `secret` on its standard input through a pipe.
    func step(
        _ executable: String, _ arguments: [String], readOnly: [String] = [], secret: String? = nil
    ) async throws -> SandboxedRun {
        try await settings.sandbox.step(
            executable, arguments, environment: environment, in: workspace, timeout: timeLeft,
            outputLimit: settings.outputLimit, outputKillLimit: settings.outputKillLimit, limits: settings.limits,
            readOnly: readOnly, input: secret, inputThroughPipe: secret != nil)
    }

    /// The result of a build step that failed (``ReportVerdict/compileFailure(_:compiler:workspace:timeout:isDiagnostic:)``).
    func compileFailure(
        _ compile: SandboxedRun, compiler: String, isDiagnostic: (Substring) -> Bool
    ) -> TestResult {
        ReportVerdict.compileFailure(
            compile, compiler: compiler, workspace: workspace.directory.path, timeout: timeout,
            isDiagnostic: isDiagnostic)
    }

    /// The JUnit report `name` in the report directory, read without following links and bounded.
    func report(_ name: String) -> Data? {
        workspace.readBack(workspace.reportDirectory.appendingPathComponent(name))
    }

    /// The verdict of `run` from its JUnit report `name` (``ReportVerdict``).
    func reportVerdict(_ run: SandboxedRun, report name: String, runner: String) -> TestResult {
        ReportVerdict(
            run: run, report: report(name), workspace: workspace.directory.path, timeout: timeout, runner: runner
        ).testResult
    }
}
