import AutoCoder
import AutoCoderExecution
import Foundation

extension Session {
    /// Runs `request`'s tests once against its code, with this session's limits.
    public func test(_ request: TestRequest) async throws(SessionError) -> TestResult {
        let task: CodingTask
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
        return try await test(request.code.files, for: task)
    }

    /// Runs `code` against `task`'s tests once, with this session's limits: what every front end's `test` comes
    /// to. A runner that cannot run here (no interpreter, no pytest) is `infrastructure_error`, never blamed on the
    /// code.
    public func test(_ code: [CodeFile], for task: CodingTask) async throws(SessionError) -> TestResult {
        let toolchain = try Self.toolchain(for: task.language)
        let settings = configuration.limits.toolchainSettings(warm: false)
        if case .unavailable(let message) = await toolchain.preflight(task, settings: settings) {
            return TestResult(outcome: .infrastructureError, message: message)
        }
        let runtime = toolchain.open(settings)
        let executor = runtime.executor()
        do {
            let result = try await executor.test(code, for: task)
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
        return try await exec(
            request.code, language: request.language ?? Toolchains.all[0].language,
            timeout: request.timeout.map { .milliseconds(Int($0 * 1000)) })
    }

    /// Runs the program `code` once in the sandbox, written as `fileName` (the language's inline name by default),
    /// with `input`, within `timeout` (the session's limit by default): what every front end's `exec` comes to.
    public func exec(
        _ code: String, fileName: String? = nil, language: Language, timeout: Duration? = nil,
        input: ProgramInput = ProgramInput()
    ) async throws(SessionError) -> CodeRunResult {
        let toolchain = try Self.toolchain(for: language)
        let runtime = toolchain.open(configuration.limits.toolchainSettings(warm: false))
        do {
            let result = try await runtime.executor().run(
                code: code, fileName: fileName ?? toolchain.inlineProgramName, timeout: timeout, input: input)
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
        if let limit = request.maxIterations, let problem = IterationLimit.problem(limit, name: "max_iterations") {
            throw .badInput(problem)
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
        guard let run = prepared.run else { return try await prepared.report(nil, delivering: output) }
        let outcome = await run.outcome(onEvent: onEvent)
        if outcome.stopReason == .cancelled { throw .cancelled }
        return try await prepared.report(outcome, delivering: output)
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
                try JSONDocument.encoder().encode(script).write(to: file)
            } catch {
                throw .failed(error)
            }
            configuration.generator.provider = "script"
            configuration.generator.script = file.path
        }
        return configuration
    }
}
