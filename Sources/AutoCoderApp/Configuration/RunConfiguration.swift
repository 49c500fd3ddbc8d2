import AutoCoder
import AutoCoderExecution
import AutoCoderStore

/// Everything a run needs, as data: what to solve, how code runs, how the loop is guarded, which generator
/// writes, and where the run is recorded. Every front end (the CLI's flags, a JSON request) fills one in and
/// hands it to a ``Session``; `nil` fields take the defaults (or, for `replay`, the recorded settings).
public struct RunConfiguration: Codable, Hashable, Sendable {
    public var task: TaskSource
    public var limits: Limits
    public var loop: LoopSettings
    public var generator: GeneratorConfiguration
    /// The run store file; `nil` records nothing.
    public var store: String?

    public init(
        task: TaskSource = TaskSource(), limits: Limits = Limits(), loop: LoopSettings = LoopSettings(),
        generator: GeneratorConfiguration = GeneratorConfiguration(), store: String? = RunStore.defaultPath()
    ) {
        self.task = task
        self.limits = limits
        self.loop = loop
        self.generator = generator
        self.store = store
    }

    /// The iteration limit of a `solve` or `fix` of `task`, resolved once: the configuration's (`--max-iterations`,
    /// a request's) over the task's own, else the default. (A `bench` gives its limit to the problems that set none.)
    func iterationLimit(of task: CodingTask) -> Int {
        loop.maxIterations ?? task.maxIterations ?? LoopSettings.defaultMaxIterations
    }

    /// What the run store records of a run of `task` set up like this, with `generator`'s names and `policy`.
    func runSettings(for task: CodingTask, provider: String, model: String?, policy: LoopPolicy) -> RunSettings {
        var settings = limits.recorded(
            provider: provider, model: model, maxIterations: task.maxIterations ?? LoopSettings.defaultMaxIterations,
            timeoutSeconds: task.timeoutSeconds ?? Limits.defaultTimeout)
        settings.revertOnRegression = policy.revertOnRegression
        settings.stallLimit = policy.stallLimit
        settings.rerunFailures = policy.rerunFailures
        settings.candidates = policy.candidates
        settings.maxTokens = policy.maxTokens
        settings.maxCostUSD = policy.maxCostUSD
        settings.maxTimeSeconds = loop.maxTimeSeconds
        return settings
    }
}
