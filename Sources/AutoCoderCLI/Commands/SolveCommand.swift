import ArgumentParser
import AutoCoder
import AutoCoderExecution
import AutoCoderStore
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

    @Option(parsing: .unconditional, help: "The most attempts, the first one and each fix. (default: 5)")
    var maxIterations: Int?

    @Option(help: ArgumentHelp("Also write the final files into this directory.", valueName: "dir"))
    var outputDir: String?

    @Flag(help: "No progress on stderr.")
    var quiet = false

    @Flag(help: "Do not record this run in the run store.")
    var noStore = false

    @OptionGroup(title: "Loop guards") var loop: LoopOptions
    @OptionGroup var generatorOptions: GeneratorOptions
    @OptionGroup var execution: ExecutionOptions
    @OptionGroup var testEnvironment: TestEnvironmentOptions
    @OptionGroup var storeOptions: StoreOptions

    static let defaultMaxIterations = 5

    func validate() throws {
        switch (taskDirectory, description) {
        case (nil, nil): throw ValidationError("Give a task directory, or --description TEXT with --tests FILE….")
        case (_?, _?): throw ValidationError("Give either a task directory or --description, not both.")
        case (nil, _?) where tests.isEmpty: throw ValidationError("--description needs --tests FILE….")
        case (_?, nil) where !tests.isEmpty:
            throw ValidationError("--tests goes with --description, not a task directory.")
        default: break
        }
        if let maxIterations, maxIterations < 1 {
            throw ValidationError("--max-iterations must be at least 1 (it is \(maxIterations)).")
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
        let task = try loadTask()
        let toolchain = try execution.toolchain(for: task.language)
        switch await toolchain.preflight(task, settings: execution.settings()) {
        case .unavailable(let message): throw CLIExit.toolFailure(message + " No model was called.")
        case .badTask(let message): throw CLIExit.badInput(message + " No model was called.")
        case nil: break
        }
        let store = noStore ? nil : try storeOptions.open()
        let session = try await generatorOptions.open(
            python: execution.python, notice: { [quiet] in if !quiet { Terminal.note($0) } })
        defer { session.close() }
        let policy = try loop.policy(listPrice: session.pricing, maxReplyTokens: session.maxReplyTokens)
        let executor = toolchain.executor(execution.settings())
        let coder = AutonomousCoder(
            generator: session.generator, executor: executor, maxIterations: Self.defaultMaxIterations,
            feedbackFormatter: loop.feedbackFormatter, policy: policy)
        let progress = ProgressPrinter(
            enabled: !quiet, limit: task.maxIterations ?? Self.defaultMaxIterations)
        await execution.warnAboutMissingLayers()
        progress.begin(task)

        let runID = RunOutcome.newID()
        let recorder = RunRecorder(
            store: store, runID: runID, task: task, settings: settings(for: task, session: session, policy: policy))
        var outcome = try await coder.run(task, runID: runID, progress: progress, recorder: recorder)
        outcome.isRecorded = store != nil
        // The result is printed first: a failed write must never lose a finished run.
        if execution.json {
            try Terminal.json(outcome)
        } else {
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

    /// What the run store records of this run's set-up.
    private func settings(for task: CodingTask, session: GeneratorSession, policy: LoopPolicy) -> RunSettings {
        var settings = RunSettings(
            provider: session.provider, model: session.model,
            maxIterations: task.maxIterations ?? Self.defaultMaxIterations,
            timeoutSeconds: task.timeoutSeconds ?? ExecutionOptions.defaultTimeout,
            memoryMB: execution.memory ?? ExecutionOptions.defaultMemoryMB,
            maxProcesses: execution.maxProcs ?? ExecutionOptions.defaultMaxProcesses, sandbox: !execution.noSandbox,
            python: execution.python)
        settings.diskMB = execution.disk ?? ExecutionOptions.defaultDiskMB
        settings.revertOnRegression = policy.revertOnRegression
        settings.stallLimit = policy.stallLimit
        settings.rerunFailures = policy.rerunFailures
        settings.candidates = policy.candidates
        settings.maxTokens = policy.maxTokens
        settings.maxCostUSD = policy.maxCostUSD
        settings.maxTimeSeconds = loop.maxTime
        settings.integrity = execution.integrity ?? .strict
        return settings
    }

    /// The task from the directory or the flags, with the flags laid over its front matter.
    private func loadTask() throws -> CodingTask {
        let loader = TaskLoader(languages: Toolchains.languages)
        var task: CodingTask
        do {
            if let taskDirectory {
                task = try loader.load(directory: URL(fileURLWithPath: taskDirectory))
                let languageChanged = execution.language.map { $0 != task.language } ?? false
                if let language = execution.language { task.language = language }
                if solution != nil || execution.module != nil || languageChanged {
                    task.solutionPath = try TaskSettings(solution: solution, module: execution.module)
                        .solutionPath(for: try Toolchains.require(task.language))
                }
            } else {
                let settings = TaskSettings(language: execution.language, solution: solution, module: execution.module)
                task = try loader.task(
                    description: description ?? "", testFiles: tests.map { URL(fileURLWithPath: $0) },
                    settings: settings)
            }
        } catch let error as InputError {
            throw CLIExit.badInput(error.message)
        }
        if !loop.holdout.isEmpty {
            do {
                task.holdoutTests = try TaskLoader.readFiles(loop.holdout.map { URL(fileURLWithPath: $0) })
            } catch let error as InputError {
                throw CLIExit.badInput(error.message)
            }
        }
        if let maxIterations { task.maxIterations = maxIterations }
        if let timeout = execution.timeout { task.timeoutSeconds = timeout }
        try testEnvironment.apply(to: &task)
        return task
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
        if !quiet { Terminal.note("Wrote \(files.count) file(s) to \(root.path)") }
    }
}
