import AutoCoder
import Foundation

/// Runs Python tests with pytest, each run in a fresh workspace, in its own process group, within a wall-clock
/// timeout, with capped output and without the parent's secrets.
///
/// pytest is started so that nothing the generated code writes can change how tests are collected or reported:
/// plugin autoload off, no `conftest.py`, no ini file (`-c /dev/null`), strict xfail, and the JUnit report written
/// outside the working directory. The verdict comes from that report's `<testcase>` elements and from the exit
/// code together; a run without a report is never a pass.
public struct PytestExecutor: CodeExecutor {
    /// The interpreter to use (a path or a name on `PATH`); `nil` means `$AUTOCODER_PYTHON`, else `python3`.
    public var python: String?
    /// The wall-clock limit of one run, unless the task sets its own.
    public var timeout: Duration
    /// The most bytes kept of each output stream.
    public var outputLimit: Int
    /// Kernel limits for the run; the CPU limit is derived from the timeout when it is not set.
    public var limits: ResourceLimits

    public init(
        python: String? = nil,
        timeout: Duration = .seconds(30),
        outputLimit: Int = 256 * 1024,
        limits: ResourceLimits = ResourceLimits()
    ) {
        self.python = python
        self.timeout = timeout
        self.outputLimit = outputLimit
        self.limits = limits
    }

    public func test(_ files: [CodeFile], for task: CodingTask) async throws -> TestResult {
        let interpreter: PythonInterpreter
        do {
            interpreter = try await PythonInterpreter.resolve(explicit: python)
        } catch {
            return TestResult(outcome: .infrastructureError, message: error.localizedDescription)
        }
        let workspace: Workspace
        do {
            workspace = try Workspace.create()
        } catch {
            return TestResult(outcome: .infrastructureError, message: error.localizedDescription)
        }
        defer { workspace.remove() }
        do {
            // Tests are written last, so no generated file can stand in for one.
            try workspace.write(task.starterFiles.overlaid(with: files).overlaid(with: task.tests))
        } catch {
            return TestResult(outcome: .error, message: error.localizedDescription)
        }

        let report = workspace.reportDirectory.appendingPathComponent("junit.xml")
        let runTimeout = task.timeoutSeconds.map { Duration.milliseconds(Int($0 * 1000)) } ?? timeout
        let request = ProcessRequest(
            executable: interpreter.path,
            arguments: ["-I", "-B", "-m", "pytest"]
                + Self.pytestArguments(
                    workspace: workspace.directory.path, report: report.path, tests: task.tests.map(\.path)),
            environment: Self.environment(),
            workingDirectory: workspace.directory.path,
            timeout: runTimeout,
            outputLimit: outputLimit,
            limits: cpuBounded(limits, by: runTimeout))
        let process: ProcessResult
        do {
            process = try await ProcessRunner().run(request)
        } catch let error as ProcessLaunchError {
            return TestResult(outcome: .infrastructureError, message: error.localizedDescription)
        }
        let reportData = FileManager.default.contents(atPath: report.path)
        return PytestVerdict(process: process, report: reportData, interpreter: interpreter.path, timeout: runTimeout)
            .testResult
    }

    /// pytest's arguments (after `-m pytest`): see ARCHITECTURE §5.
    static func pytestArguments(workspace: String, report: String, tests: [String]) -> [String] {
        [
            "-q", "-p", "no:cacheprovider", "--noconftest", "-c", "/dev/null", "--rootdir=\(workspace)",
            "-o", "xfail_strict=true", "--junitxml=\(report)", "--",
        ] + tests
    }

    /// The child's environment: no secrets, no pytest options from outside, plugin autoload off.
    static func environment() -> [String: String] {
        var environment = ChildEnvironment.scrubbed().filter { !$0.key.hasPrefix("PYTEST_") }
        environment["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        return environment
    }

    /// The limits with a CPU-time backstop a little above the wall-clock timeout, when none is set.
    func cpuBounded(_ limits: ResourceLimits, by timeout: Duration) -> ResourceLimits {
        var limits = limits
        if limits.cpuSeconds == nil { limits.cpuSeconds = Int(timeout.components.seconds) + 2 }
        return limits
    }
}
