import AutoCoder
import Foundation

/// Python: pytest (with the warm worker) runs `test_*.py` against the generated modules.
public struct PythonToolchain: Toolchain {
    public static let name: Language = "python"

    public init() {}

    public var language: Language { Self.name }
    public var displayName: String { "Python" }
    public var fileExtensions: [String] { ["py"] }
    public var fenceTags: [String] { ["python", "py", "python3"] }
    public var inlineProgramName: String { "main.py" }

    public func solutionPath(for settings: TaskSettings) throws -> String {
        try settings.relativeSolution(default: "solution.py", fileExtension: "py")
    }

    /// Functions and classes at any depth, and variables at the top level (at any depth with `includingLocals`).
    public func definedNames(in code: String, includingLocals: Bool) -> Set<String> {
        names(
            matching: #"(?m)^\s*(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)|^"# + (includingLocals ? #"\s*"# : "")
                + #"([A-Za-z_]\w*)\s*(?::[^=\n]*)?=(?!=)"#, in: code)
    }

    public func completing(_ code: String, starter: String) -> String {
        StarterMerge(starter: starter).merged(code)
    }

    /// A runtime whose executors share one pool of warm pytest workers.
    public func open(_ settings: ToolchainSettings) -> any ToolchainRuntime {
        PythonRuntime(
            executor: PytestExecutor(
                python: settings.interpreters[language], timeout: settings.timeout, sandbox: settings.sandbox,
                warmWorker: settings.warm, integrity: settings.integrity, workers: PytestWorkerPool()))
    }

    /// pytest missing (exit 3), or a suite that cannot be collected (exit 2).
    public func preflight(_ task: CodingTask, settings: ToolchainSettings) async -> ToolchainProblem? {
        let python = settings.interpreters[language]
        do {
            let interpreter = try await PythonInterpreter.resolve(explicit: python)
            if await interpreter.pytestVersion() == nil { return .unavailable(Self.pytestMissing(interpreter.path)) }
        } catch {
            return .unavailable(error.localizedDescription)
        }
        return await PytestExecutor(python: python).suiteProblem(for: task).map(ToolchainProblem.badTask)
    }

    /// The interpreter, its pytest, and whether runs can use the warm worker.
    public func diagnose(_ settings: ToolchainSettings) async -> ToolchainDiagnosis {
        var diagnosis = ToolchainDiagnosis(
            language: language, lines: [],
            fields: [
                ("python", .text(nil)), ("pytest", .text(nil)), ("warm_worker_problem", .text(nil)),
                ("warm_worker", .flag(false)),
            ])
        let interpreter: PythonInterpreter
        do {
            interpreter = try await PythonInterpreter.resolve(explicit: settings.interpreters[language])
        } catch {
            diagnosis.lines = ["Python: not found"]
            diagnosis.problem = error.localizedDescription
            return diagnosis
        }
        let pytest = await interpreter.pytestVersion()
        diagnosis.runtimeDirectories = await interpreter.runtimeDirectories()
        diagnosis.lines = ["Python: \(interpreter.path)\(pytest.map { " (pytest \($0))" } ?? "")"]
        guard let pytest else {
            diagnosis.fields = [
                ("python", .text(interpreter.path)), ("pytest", .text(nil)), ("warm_worker_problem", .text(nil)),
                ("warm_worker", .flag(false)),
            ]
            diagnosis.problem = Self.pytestMissing(interpreter.path)
            return diagnosis
        }
        let executor = PytestExecutor(
            python: interpreter.path, sandbox: settings.sandbox, warmWorker: settings.warm)
        let warmProblem = await executor.warmWorkerProblem()
        await executor.workers.shutdown()
        diagnosis.lines.append(
            "Warm pytest worker: "
                + (warmProblem.map { "not used (\($0)); each run starts a new Python" }
                    ?? "ready (runs fork a worker that has pytest loaded)"))
        diagnosis.fields = [
            ("python", .text(interpreter.path)), ("pytest", .text(pytest)), ("warm_worker_problem", .text(warmProblem)),
            ("warm_worker", .flag(warmProblem == nil)),
        ]
        return diagnosis
    }

    static func pytestMissing(_ interpreter: String) -> String {
        "pytest is not installed for \(interpreter): run '\(interpreter) -m pip install pytest'."
    }
}

/// The Python toolchain opened: one executor configuration and its pool of warm workers.
struct PythonRuntime: ToolchainRuntime {
    let configured: PytestExecutor

    init(executor: PytestExecutor) {
        configured = executor
    }

    func executor() -> any CodeExecutor & CodeRunner { configured }

    func warmUp(workers: Int) async {
        await configured.warmUp(workers: workers)
    }

    func close() async {
        await configured.workers.shutdown()
    }
}
