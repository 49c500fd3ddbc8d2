import AutoCoder
import Foundation

extension PytestExecutor {
    /// Why a cold run could not start: the result to return instead.
    struct ColdRunProblem: Error {
        var result: TestResult
    }

    /// Runs pytest in a new interpreter inside the sandbox. A sandboxed or checked run starts through
    /// `pytest_integrity.py` (copied into the run's directory), which installs the seccomp filter and the integrity
    /// check before pytest; a plain one is `python -m pytest`. Cancellation is thrown, as from `test`.
    func coldRun(
        interpreter: PythonInterpreter, arguments: [String], environment: [String: String], workspace: Workspace,
        timeout: Duration, limits: ResourceLimits, check: PytestIntegrity?
    ) async throws -> Result<SandboxedRun, ColdRunProblem> {
        var program = ["-m", "pytest"]
        var readOnly = await interpreter.runtimeDirectories()
        if check != nil || sandbox.enabled {
            do {
                let script = try PytestIntegrity.stageScripts(in: workspace)
                let filter = script.deletingLastPathComponent().appendingPathComponent(PytestIntegrity.filterName)
                let filtered = FileManager.default.fileExists(atPath: filter.path) ? ["--seccomp", filter.path] : []
                program =
                    [script.path] + (sandbox.enabled ? filtered : [])
                    + [check?.control.path ?? "-"]
                readOnly.append(script.deletingLastPathComponent().path)
            } catch {
                return .failure(
                    ColdRunProblem(
                        result: TestResult(
                            outcome: .infrastructureError,
                            message: "Cannot stage the test process's scripts: \(error)")))
            }
        }
        let request = ProcessRequest(
            executable: interpreter.path, arguments: ["-I", "-B"] + program + arguments, environment: environment,
            workingDirectory: workspace.directory.path, timeout: timeout, outputLimit: outputLimit,
            outputKillLimit: outputKillLimit, limits: limits)
        do {
            return .success(try await sandbox.run(request, writable: workspace.writablePaths, readOnly: readOnly))
        } catch let error as ProcessLaunchError {
            return .failure(
                ColdRunProblem(result: TestResult(outcome: .infrastructureError, message: error.localizedDescription)))
        }
    }
}
