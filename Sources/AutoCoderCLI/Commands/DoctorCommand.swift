import ArgumentParser
import AutoCoder
import AutoCoderExecution
import Foundation

/// `autocoder doctor`: what protects code under test on this machine, and whether tests can run at all.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Show which sandbox layers are active on this machine, why any is not, and the Python in use.",
        discussion: """
            Exit codes: 0 tests can run (missing layers are reported, not fatal) · 3 no usable Python or pytest.
            """)

    @OptionGroup var execution: ExecutionOptions

    struct Report: Encodable {
        var layers: [SandboxLayerStatus]
        /// What the code sees of the filesystem, when the view is made here.
        var view: [FilesystemView.Line]?
        var python: String?
        var pytest: String?
        /// Why runs cannot use the warm pytest worker, or `nil` when they can.
        var warmWorkerProblem: String?
        var warmWorker: Bool
        var problem: String?

        enum CodingKeys: String, CodingKey {
            case layers, view, python, pytest, problem
            case warmWorkerProblem = "warm_worker_problem"
            case warmWorker = "warm_worker"
        }

        /// Every key is written, `null` when it has no value.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(layers, forKey: .layers)
            try container.encode(view, forKey: .view)
            try container.encode(python, forKey: .python)
            try container.encode(pytest, forKey: .pytest)
            try container.encode(warmWorkerProblem, forKey: .warmWorkerProblem)
            try container.encode(warmWorker, forKey: .warmWorker)
            try container.encode(problem, forKey: .problem)
        }
    }

    func validate() throws {
        try execution.refuseUnused(["--no-warm-worker", "--language", "--module", "--integrity"], by: "doctor")
    }

    func run() async throws {
        let capabilities = await SandboxCapabilities.current()
        var report = Report(layers: capabilities.layers(for: execution.sandbox), warmWorker: false)
        do {
            let interpreter = try await PythonInterpreter.resolve(explicit: execution.python)
            report.python = interpreter.path
            report.pytest = await interpreter.pytestVersion()
            if execution.sandbox.makesView(capabilities) {
                let run = FileManager.default.temporaryDirectory.appendingPathComponent("autocoder-XXXXXX").path
                report.view =
                    execution.sandbox.view(
                        writable: ["work", "report", "home"].map { "\(run)/\($0)" },
                        readOnly: await interpreter.runtimeDirectories()
                    ).lines
            }
            if report.pytest == nil {
                report.problem =
                    "pytest is not installed for \(interpreter.path): run '\(interpreter.path) -m pip install pytest'."
            } else if let executor = execution.executor(for: .python) as? PytestExecutor {
                report.warmWorkerProblem = await executor.warmWorkerProblem()
                report.warmWorker = report.warmWorkerProblem == nil
            }
        } catch {
            report.problem = error.localizedDescription
        }
        if execution.json {
            try Terminal.json(report)
        } else {
            Terminal.out("Sandbox layers on this machine:")
            let width = (report.layers.map(\.layer.rawValue.count).max() ?? 0) + 2
            for status in report.layers {
                let name = status.layer.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
                Terminal.out("  \(status.active ? "✓" : "✗") \(name)\(status.detail)")
            }
            if let view = report.view {
                Terminal.out("What the code sees (for pytest runs):")
                let width = (view.map(\.path.count).max() ?? 0) + 2
                for line in view {
                    Terminal.out("  \(line.path.padding(toLength: width, withPad: " ", startingAt: 0))\(line.access)")
                }
            }
            Terminal.out("Python: \(report.python ?? "not found")\(report.pytest.map { " (pytest \($0))" } ?? "")")
            if report.pytest != nil {
                Terminal.out(
                    "Warm pytest worker: "
                        + (report.warmWorkerProblem.map { "not used (\($0)); each run starts a new Python" }
                            ?? "ready (runs fork a worker that has pytest loaded)"))
            }
        }
        if let problem = report.problem { throw CLIExit.toolFailure(problem) }
    }
}
