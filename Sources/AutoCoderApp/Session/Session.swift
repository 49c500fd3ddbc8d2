import AutoCoder
import AutoCoderExecution
import AutoCoderStore
import Foundation

/// The application core below every front end: from a ``RunConfiguration`` it opens the toolchain, the generator
/// and the store, and gives back a ``SessionRun`` whose events and outcome the front end renders. `solve`,
/// `replay` and `bench` all go through ``prepare(_:generator:store:maxIterations:policy:settings:replayOf:)``.
public struct Session: Sendable {
    public var configuration: RunConfiguration
    /// Where the session says what it does (the automatic provider choice, a model being installed); a terminal
    /// prints it unless asked to be quiet, a server may log it.
    public var notice: @Sendable (String) -> Void
    /// Where the session warns (missing sandbox layers, a run that is not being recorded): shown even when quiet.
    public var warn: @Sendable (String) -> Void
    /// The process environment (API keys, addresses) the generators are opened with.
    public var environment: [String: String]

    public init(
        _ configuration: RunConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment,
        notice: @escaping @Sendable (String) -> Void = { _ in }, warn: (@Sendable (String) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.environment = environment
        self.notice = notice
        self.warn = warn ?? notice
    }

    /// Prepares `solve`: loads the task, checks that its tests can run, opens the store and the generator. No
    /// model is called before this returns; a problem found here is the front end's bad input or missing tool.
    public func solve() async throws(SessionError) -> SessionRun {
        if let problem = configuration.limits.problem { throw .badInput(problem) }
        var task = try configuration.task.load()
        task.maxIterations = configuration.iterationLimit(of: task)
        let toolchain = try Self.toolchain(for: task.language)
        switch await toolchain.preflight(task, settings: configuration.limits.toolchainSettings()) {
        case .unavailable(let message): throw .unavailable(message + " No model was called.")
        case .badTask(let message): throw .badInput(message + " No model was called.")
        case nil: break
        }
        let store = try openStore()
        let (generator, policy) = try await openGenerator()
        warnAboutSize(of: task, provider: generator.provider)
        let runtime = toolchain.open(configuration.limits.toolchainSettings())
        await warnAboutMissingLayers()
        return prepare(
            task, generator: generator.generator, executor: runtime.executor(), store: store,
            maxIterations: LoopSettings.defaultMaxIterations, policy: policy,
            settings: configuration.runSettings(
                for: task, provider: generator.provider, model: generator.model, policy: policy),
            resources: Resources(runtime: runtime, generator: generator))
    }

    /// One run of `task`: the loop with `generator` and `executor`, recorded in `store` as it goes. Every kind of
    /// run is made here.
    func prepare(
        _ task: CodingTask, generator: any CodeGenerator, executor: any CodeExecutor, store: RunStore?,
        maxIterations: Int, policy: LoopPolicy, settings: RunSettings, replayOf: String? = nil,
        resources: Resources
    ) -> SessionRun {
        let coder = AutonomousCoder(
            generator: generator, executor: executor, maxIterations: maxIterations,
            feedbackFormatter: configuration.loop.feedbackFormatter, policy: policy)
        return SessionRun(
            task: task, coder: coder, settings: settings, store: store, replayOf: replayOf, resources: resources,
            warn: warn)
    }

    /// The configuration's generator, opened, and the loop policy priced for it (closed again if the policy is
    /// bad input).
    func openGenerator() async throws(SessionError) -> (OpenGenerator, LoopPolicy) {
        let generator = try await Providers.open(configuration.generator, context: providerContext)
        do {
            return (
                generator,
                try configuration.loop.policy(listPrice: generator.pricing, maxReplyTokens: generator.maxReplyTokens)
            )
        } catch {
            generator.close()
            throw error
        }
    }

    /// What opening a generator may use.
    var providerContext: ProviderContext {
        ProviderContext(
            environment: environment, languages: Toolchains.languages, python: configuration.limits.python,
            notice: notice)
    }

    /// The provider `solve` would use with no `--provider` (a set key, a reachable Ollama, else the local model).
    public func automaticProvider() async -> String {
        await Providers.automaticChoice(providerContext).name
    }

    /// The store of the configuration (created if needed), or `nil` when it records nothing. A store that cannot be
    /// written or is damaged does not stop the run: it goes on unrecorded, with a warning that says why.
    func openStore() throws(SessionError) -> RunStore? {
        guard let path = configuration.store else { return nil }
        do {
            return try RunStore(path: path)
        } catch let error as RunStoreError where error.allowsRunningUnrecorded {
            warn("autocoder: warning: this run is not recorded. \(error.message)")
            return nil
        } catch {
            throw Self.sessionError(error)
        }
    }

    /// The toolchain of `language`, or bad input naming the known ones.
    static func toolchain(for language: Language) throws(SessionError) -> any Toolchain {
        do {
            return try Toolchains.require(language)
        } catch {
            throw .badInput(error.localizedDescription)
        }
    }

    /// Says so when the task alone is larger than the model's context window is likely to be (the configured one
    /// for ollama and the local model, else the 200,000 tokens of the largest common ones): every prompt carries it.
    func warnAboutSize(of task: CodingTask, provider: String) {
        let tokens =
            TokenEstimate.tokens(in: task.description)
            + task.tests.reduce(0) { $0 + TokenEstimate.tokens(in: $1.content) }
        let configured = ["ollama", "local"].contains(provider)
        let context =
            configured ? configuration.generator.contextSize ?? GeneratorConfiguration.defaultContextSize : 200_000
        guard tokens > context else { return }
        warn(
            "autocoder: warning: the task's description and tests come to about \(tokens) tokens, more than "
                + (configured ? "the model's context window" : "most models' context windows")
                + " (\(context) tokens); the provider may refuse or cut every prompt.")
    }

    /// Says which sandbox layers this machine lacks, unless the sandbox was turned off on purpose.
    public func warnAboutMissingLayers() async {
        let sandbox = configuration.limits.sandboxConfiguration
        guard sandbox.enabled else { return }
        let missing = await SandboxCapabilities.current().layers(for: sandbox).filter { !$0.active }
        guard !missing.isEmpty else { return }
        let names = missing.map(\.layer.rawValue).joined(separator: ", ")
        warn("autocoder: warning: sandbox layers missing on this machine: \(names) (see 'autocoder doctor')")
    }

    /// A store's error as the session reports it.
    static func sessionError(_ error: any Error) -> SessionError {
        if let error = error as? RunStoreError {
            return error.isBadInput ? .badInput(error.message) : .unavailable(error.message)
        }
        return .unavailable(error.localizedDescription)
    }
}
