import ArgumentParser
import AutoCoder
import AutoCoderApp
import Foundation

/// `autocoder solve`: runs the generate → test → fix loop on a task.
struct SolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Have the generator write code until the task's tests pass.",
        discussion: """
            A task is a directory (task.md with optional front matter: language, solution, max_iterations, timeout; \
            tests/; optional starter/), or --description TEXT with --tests FILE…. Flags win over front matter.
            Progress goes to stderr; the final code (or with --json, the whole run as JSON) to stdout.
            Every run is recorded in the run store ('autocoder runs list') unless --no-store.
            Exit codes: 0 solved · 1 stopped unsolved · 2 bad input · 3 generator or executor failure · 130 interrupted.
            """)

    @Argument(help: ArgumentHelp("A task directory.", valueName: "task-dir"))
    var taskDirectory: String?

    @Option(help: "What the code must do (instead of a task directory).")
    var description: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp("The test files (with --description).", valueName: "file"))
    var tests: [String] = []

    @Option(help: "The solution file the generator writes (default: solution.py).")
    var solution: String?

    @Option(help: ArgumentHelp("Also write the final files into this directory.", valueName: "dir"))
    var outputDir: String?

    @OptionGroup var runOptions: RunOptions
    @OptionGroup(title: "Loop guards") var loop: LoopOptions
    @OptionGroup var generatorOptions: GeneratorOptions
    @OptionGroup var execution: ExecutionOptions
    @OptionGroup var languageOption: LanguageOption
    @OptionGroup var moduleOption: ModuleOption
    @OptionGroup var testEnvironment: TestEnvironmentOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var eventsOption: EventsOption

    func validate() throws {
        try eventsOption.check(json: execution.json)
        try storeOptions.check(noStore: runOptions.noStore)
        switch (taskDirectory, description) {
        case (nil, nil): throw ValidationError("Give a task directory, or --description TEXT with --tests FILE….")
        case (_?, _?): throw ValidationError("Give either a task directory or --description, not both.")
        case (nil, _?) where tests.isEmpty: throw ValidationError("--description needs --tests FILE….")
        case (_?, nil) where !tests.isEmpty:
            throw ValidationError("--tests goes with --description, not a task directory.")
        default: break
        }
        if let outputDir, let problem = Self.outputDirectoryProblem(outputDir) { throw ValidationError(problem) }
    }

    /// Why `--output-dir` could not take the final files, checked before the run: an existing file, or a missing
    /// directory whose nearest existing parent is not a writable directory.
    static func outputDirectoryProblem(_ path: String) -> String? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { return "--output-dir \(path) is a file, not a directory." }
            return access(path, W_OK) == 0 ? nil : "--output-dir \(path) is not writable."
        }
        var parent = URL(fileURLWithPath: path).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: parent.path, isDirectory: &isDirectory), parent.path != "/" {
            parent.deleteLastPathComponent()
        }
        if !isDirectory.boolValue { return "--output-dir \(path) cannot be made: \(parent.path) is a file." }
        return access(parent.path, W_OK) == 0
            ? nil : "--output-dir \(path) cannot be made: \(parent.path) is not writable."
    }

    func run() async throws {
        let configuration = RunConfiguration(
            task: TaskSource(
                directory: taskDirectory, description: description, tests: tests, language: languageOption.language,
                solution: solution, module: moduleOption.module, timeoutSeconds: execution.timeout,
                environment: try testEnvironment.variables(), holdout: loop.holdout),
            loop: loop.settings(maxIterations: runOptions.maxIterations), generator: generatorOptions.configuration,
            store: runOptions.noStore ? nil : storeOptions.path)
        let run: SessionRun
        do {
            run = try await execution.session(configuration, quiet: runOptions.quiet).solve()
        } catch {
            throw CLIExit(error)
        }
        let progress = ProgressPrinter(enabled: !runOptions.quiet, limit: run.maxIterations)
        progress.begin(run.task)
        let outcome = await eventsOption.outcome(of: run, progress: progress)
        // The result is printed first: a failed write must never lose a finished run.
        if execution.json {
            try Terminal.json(outcome)
        } else if !eventsOption.events {
            ResultPrinter.printFinalFiles(outcome)
        }
        if let outputDir { try write(outcome.finalFiles, to: outputDir) }
        switch outcome.stopReason {
        case .testsPassed: return
        case .error: throw CLIExit.toolFailure(outcome.error ?? "the run failed")
        case .cancelled: throw CLIExit(code: .interrupted, message: "interrupted; the run was stopped.")
        default: throw CLIExit(code: .failure)
        }
    }

    private func write(_ files: [CodeFile], to directory: String) throws {
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        do {
            for file in files {
                let url = root.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.bytes.write(to: url)
            }
        } catch {
            throw CLIExit.toolFailure("could not write the final files to \(directory): \(error.localizedDescription)")
        }
        if !runOptions.quiet { Terminal.note("Wrote \(files.count) file(s) to \(root.path)") }
    }
}
