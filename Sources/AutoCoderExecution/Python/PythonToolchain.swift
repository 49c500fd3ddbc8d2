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

    /// `import a.b` and `from a.b import c` (a module or a package's `__init__.py`, and `a/b/c.py`), and relative
    /// imports (`from .x import y`) from the file's own package.
    public func importedFiles(by code: String, at path: String, among files: Set<String>) -> [String] {
        let package = path.split(separator: "/").dropLast().joined(separator: "/")
        var found: [String] = []
        for match in code.matches(of: /(?m)^\s*(?:from\s+(\.*)([\w.]*)\s+import\s+([\w, ]+)|import\s+([\w.]+))/) {
            let dots = match.1.map(String.init) ?? ""
            let module = String(match.2 ?? match.4 ?? "")
            var base = module.replacingOccurrences(of: ".", with: "/")
            if !dots.isEmpty { base = [package, base].filter { !$0.isEmpty }.joined(separator: "/") }
            let names = (match.3.map(String.init) ?? "").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            var candidates = [base + ".py", base + "/__init__.py"]
            candidates += names.map { base + "/" + $0 + ".py" }
            for candidate in candidates where files.contains(candidate) && !found.contains(candidate) {
                found.append(candidate)
            }
        }
        return found
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
            if await interpreter.pytestVersion() == nil { return .unavailable(await Self.missing(interpreter)) }
        } catch {
            return .unavailable(error.localizedDescription)
        }
        return await PytestExecutor(python: python).suiteProblem(for: task).map(ToolchainProblem.badTask)
    }

    /// The interpreter, its pytest, and whether runs can use the warm worker.
    public func diagnose(_ settings: ToolchainSettings) async -> ToolchainDiagnosis {
        var diagnosis = ToolchainDiagnosis(language: language, lines: ["Python: not found"], fields: [])
        var path: String?
        var pytest: String?
        var warmProblem: String?
        /// The diagnosis with its JSON fields, from what was found so far.
        func done() -> ToolchainDiagnosis {
            var done = diagnosis
            done.fields = [
                ("python", .text(path)), ("pytest", .text(pytest)), ("warm_worker_problem", .text(warmProblem)),
                ("warm_worker", .flag(pytest != nil && warmProblem == nil)),
            ]
            return done
        }
        let interpreter: PythonInterpreter
        do {
            interpreter = try await PythonInterpreter.resolve(explicit: settings.interpreters[language])
        } catch {
            diagnosis.problem = error.localizedDescription
            return done()
        }
        path = interpreter.path
        pytest = await interpreter.pytestVersion()
        diagnosis.runtimeDirectories = await interpreter.runtimeDirectories()
        diagnosis.lines = ["Python: \(interpreter.path)\(pytest.map { " (pytest \($0))" } ?? "")"]
        guard pytest != nil else {
            diagnosis.problem = await Self.missing(interpreter)
            return done()
        }
        let executor = PytestExecutor(python: interpreter.path, sandbox: settings.sandbox, warmWorker: settings.warm)
        warmProblem = await executor.warmWorkerProblem()
        await executor.workers.shutdown()
        diagnosis.lines.append(
            "Warm pytest worker: "
                + (warmProblem.map { "not used (\($0)); each run starts a new Python" }
                    ?? "ready (runs fork a worker that has pytest loaded)"))
        return done()
    }

    /// A project with `pyproject.toml`, `setup.py`, `setup.cfg`, `pytest.ini`, `tox.ini` or a `tests/` holding
    /// Python files: pytest, run by the resolved interpreter.
    public func recognise(projectAt root: URL, settings: ToolchainSettings) async -> ProjectFacts? {
        let manager = FileManager.default
        let markers = ["pyproject.toml", "setup.py", "setup.cfg", "pytest.ini", "tox.ini"]
        let tests = root.appendingPathComponent("tests")
        let hasTests = (try? manager.contentsOfDirectory(atPath: tests.path))?.contains { $0.hasSuffix(".py") } ?? false
        guard hasTests || markers.contains(where: { manager.fileExists(atPath: root.appendingPathComponent($0).path) })
        else { return nil }
        guard
            let interpreter = try? await PythonInterpreter.resolve(
                explicit: settings.interpreters[language], in: root.path)
        else { return nil }
        return ProjectFacts(testCommand: "\(interpreter.path) -m pytest", testPatterns: Self.testPatterns)
    }

    /// pytest's test files by its default rules, and their `conftest.py`.
    public static let testPatterns = ["test_*.py", "*_test.py", "conftest.py", "tests/**"]

    /// A pytest command (`pytest …`, `python -m pytest …`) with `--junitxml` and without the cache plugin.
    public func reportingCommand(_ command: String, report: String) -> String? {
        let words = command.split(separator: " ").map(String.init)
        let runsPytest =
            words.first.map { ($0 as NSString).lastPathComponent == "pytest" } == true
            || zip(words, words.dropFirst()).contains { $0 == "-m" && $1 == "pytest" }
        guard runsPytest, !command.contains("&&"), !command.contains(";"), !command.contains("|") else { return nil }
        return command + " -p no:cacheprovider --junitxml=\(report)"
    }

    /// The interpreter's directories, and its `bin` first on `PATH` (where `pytest` is).
    public func commandRuntime(_ settings: ToolchainSettings) async -> CommandRuntime {
        guard
            let interpreter = try? await PythonInterpreter.resolve(
                explicit: settings.interpreters[language], in: settings.projectDirectory)
        else { return CommandRuntime() }
        return CommandRuntime(
            readOnly: await interpreter.runtimeDirectories(),
            path: [URL(fileURLWithPath: interpreter.path).deletingLastPathComponent().path])
    }

    /// What is missing when `interpreter` cannot import pytest: pytest, or Python itself.
    static func missing(_ interpreter: PythonInterpreter) async -> String {
        await interpreter.isPython()
            ? pytestMissing(interpreter.path)
            : "\(interpreter.path) is not a Python 3 interpreter; give one with --python or "
                + "\(PythonInterpreter.environmentVariable)."
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
