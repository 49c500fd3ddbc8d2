import AutoCoder
import AutoCoderExecution
import Foundation

extension Session {
    /// Runs `request`'s tests once against its code, with this session's limits.
    public func test(_ request: TestRequest) async throws(SessionError) -> TestResult {
        var task: CodingTask
        do {
            task = try Self.task(
                description: "Run the tests once.", tests: request.tests,
                settings: TaskSettings(language: request.language, timeoutSeconds: request.timeout))
        } catch {
            throw .badInput(error.message)
        }
        guard !request.code.isEmpty else { throw .badInput("No code: give at least one code file.") }
        if let problem = Self.problem(paths: Array(request.code.keys)) ?? Self.problem(timeout: request.timeout) {
            throw .badInput(problem)
        }
        let runtime = try Self.toolchain(for: task.language).open(configuration.limits.toolchainSettings(warm: false))
        let executor = runtime.executor()
        do {
            let result = try await executor.test(request.code.files, for: task)
            await executor.finish()
            await runtime.close()
            return result
        } catch {
            await executor.finish()
            await runtime.close()
            throw .failed(error)
        }
    }

    /// Runs `request`'s program in the sandbox, with this session's limits.
    public func exec(_ request: ExecRequest) async throws(SessionError) -> CodeRunResult {
        if let problem = Self.problem(timeout: request.timeout) { throw .badInput(problem) }
        let toolchain = try Self.toolchain(for: request.language ?? Toolchains.all[0].language)
        let runtime = toolchain.open(configuration.limits.toolchainSettings(warm: false))
        do {
            let result = try await runtime.executor().run(
                code: request.code, fileName: toolchain.inlineProgramName,
                timeout: request.timeout.map { .milliseconds(Int($0 * 1000)) }, input: ProgramInput())
            await runtime.close()
            return result
        } catch {
            await runtime.close()
            throw .failed(error)
        }
    }

    /// The run configuration of `request`, on top of `base` (its limits, its store); the script's replies are
    /// written into `folder`, which must outlive the run.
    public static func configuration(
        of request: SolveRequest, base: RunConfiguration, folder: URL
    ) throws(SessionError) -> RunConfiguration {
        var task: CodingTask
        do {
            task = try Self.task(
                description: request.description, tests: request.tests,
                settings: TaskSettings(language: request.language, solution: request.solution))
        } catch {
            throw .badInput(error.message)
        }
        if let starter = request.starter, let problem = problem(paths: Array(starter.keys)) {
            throw .badInput(problem)
        }
        if let limit = request.maxIterations, !(1...100).contains(limit) {
            throw .badInput("max_iterations must be 1 to 100 (it is \(limit)).")
        }
        task.starterFiles = request.starter?.files ?? []
        task.maxIterations = request.maxIterations
        var configuration = try base.choosing(
            provider: request.provider, model: request.model, script: request.script,
            maxIterations: request.maxIterations, folder: folder)
        configuration.task = TaskSource(task: task)
        return configuration
    }

    /// Why a run's timeout cannot be used (more than 0 s, at most an hour), or `nil`.
    static func problem(timeout: Double?) -> String? {
        guard let timeout, !(timeout > 0 && timeout <= 3600) else { return nil }
        return "timeout must be more than 0 and at most 3600 seconds (it is \(timeout))."
    }

    /// Why files cannot be laid out under these paths (absolute, empty, leaving the workspace), or `nil`.
    static func problem(paths: [String]) -> String? {
        paths.first { $0.isEmpty || $0.hasPrefix("/") || $0.split(separator: "/").contains("..") || $0.contains("\0") }
            .map { "The path '\($0)' must be relative and stay inside the workspace." }
    }

    /// A task from tests given as contents: they are read the way `--tests` files are (the language, the solution
    /// path), from a folder that is gone when it returns.
    static func task(
        description: String, tests: [String: String], settings: TaskSettings
    ) throws(InputError)
        -> CodingTask
    {
        guard !tests.isEmpty else { throw InputError("No tests: give at least one test file.") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "autocoder-tool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            var urls: [URL] = []
            for (path, content) in tests.sorted(by: { $0.key < $1.key }) {
                guard !path.isEmpty, !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                    throw InputError("The test path '\(path)' must be relative and stay inside the task.")
                }
                let url = folder.appendingPathComponent(path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(content.utf8).write(to: url)
                urls.append(url)
            }
            return try TaskLoader(languages: Toolchains.languages).task(
                description: description, testFiles: urls, settings: settings)
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError("The tests could not be read: \(error.localizedDescription)")
        }
    }

    /// Runs `request`'s fix to its end: the baseline, the loop when it fails, and the delivery it asks for;
    /// `onEvent` gets the loop's events. `base` gives the limits and the store.
    public static func fix(
        _ request: FixRequest, base: RunConfiguration, folder: URL, onEvent: @escaping @Sendable (CodingEvent) -> Void,
        notice: @escaping @Sendable (String) -> Void
    ) async throws(SessionError) -> FixReport {
        let configuration = try base.choosing(
            provider: request.provider, model: request.model, script: request.script,
            maxIterations: request.maxIterations, folder: folder)
        let output = request.output ?? .diff
        let prepared = try await Session(configuration, notice: notice).fix(
            FixConfiguration(path: request.path, testCommand: request.testCommand, goal: request.goal, output: output))
        let repository = prepared.repository
        guard let run = prepared.run else {
            return FixReport(
                repository: repository.root, baseCommit: repository.baseCommit, testCommand: repository.testCommand,
                baseline: prepared.baseline, diff: "", nothingToFix: true)
        }
        let outcome = await run.outcome(onEvent: onEvent)
        if outcome.stopReason == .cancelled { throw .cancelled }
        let branch = try await deliver(outcome, repository: repository, as: output)
        return FixReport(
            outcome: outcome, repository: repository.root, baseCommit: repository.baseCommit,
            testCommand: repository.testCommand, baseline: prepared.baseline,
            diff: diff(outcome.finalFiles, repository: repository), branch: branch, nothingToFix: false)
    }
}

extension RunConfiguration {
    /// This configuration with a tool call's generator and iteration limit, where it gives them; a script's
    /// replies are written into `folder` for the `script` provider to read.
    func choosing(
        provider: String?, model: String?, script: [String]?, maxIterations: Int?, folder: URL
    ) throws(SessionError) -> RunConfiguration {
        var configuration = self
        configuration.loop.maxIterations = maxIterations ?? loop.maxIterations
        configuration.generator.provider = provider ?? generator.provider
        configuration.generator.model = model ?? generator.model
        if let script {
            let file = folder.appendingPathComponent("replies.json")
            do {
                try JSONEncoder().encode(script).write(to: file)
            } catch {
                throw .failed(error)
            }
            configuration.generator.provider = "script"
            configuration.generator.script = file.path
        }
        return configuration
    }
}
