import AutoCoder

/// The limits and guards of one language's runs: what every executor holds, defined once (``SandboxedExecutor``).
public struct ExecutorSettings: Hashable, Sendable {
    /// The wall-clock limit of one run, unless the task sets its own.
    public var timeout: Duration
    /// The most bytes kept of each output stream.
    public var outputLimit: Int
    /// The most bytes a run may print before it is stopped.
    public var outputKillLimit: Int
    /// Kernel limits for the run; the CPU limit is derived from the timeout when it is not set.
    public var limits: ResourceLimits
    /// The namespaces, cgroup limits and their settings.
    public var sandbox: Sandbox
    /// How the verdict is guarded against code that forges it (docs/INTEGRITY.md).
    public var integrity: IntegrityMode

    public init(
        timeout: Duration = ToolchainSettings.defaultTimeout, outputLimit: Int = 256 * 1024,
        outputKillLimit: Int = 16 * 1_048_576, limits: ResourceLimits = ResourceLimits(), sandbox: Sandbox = Sandbox(),
        integrity: IntegrityMode = .strict
    ) {
        self.timeout = timeout
        self.outputLimit = outputLimit
        self.outputKillLimit = outputKillLimit
        self.limits = limits
        self.sandbox = sandbox
        self.integrity = integrity
    }

    /// A toolchain's settings as its executors use them.
    public init(_ toolchain: ToolchainSettings) {
        self.init(timeout: toolchain.timeout, sandbox: toolchain.sandbox, integrity: toolchain.integrity)
    }

    /// The wall-clock limit of a run of `task`: its own, else ``timeout``.
    func timeout(for task: CodingTask) -> Duration {
        task.timeoutSeconds.map { Duration.milliseconds(Int($0 * 1000)) } ?? timeout
    }
}

/// An executor that runs through the shared templates (``TestRun``, ``ProgramRun``) with ``ExecutorSettings``: it
/// gets the settings' fields by name and an initialiser that takes them.
public protocol SandboxedExecutor: CodeExecutor {
    var settings: ExecutorSettings { get set }
}

extension SandboxedExecutor {
    public var timeout: Duration {
        get { settings.timeout }
        set { settings.timeout = newValue }
    }
    public var outputLimit: Int {
        get { settings.outputLimit }
        set { settings.outputLimit = newValue }
    }
    public var outputKillLimit: Int {
        get { settings.outputKillLimit }
        set { settings.outputKillLimit = newValue }
    }
    public var limits: ResourceLimits {
        get { settings.limits }
        set { settings.limits = newValue }
    }
    public var sandbox: Sandbox {
        get { settings.sandbox }
        set { settings.sandbox = newValue }
    }
    public var integrity: IntegrityMode {
        get { settings.integrity }
        set { settings.integrity = newValue }
    }
}

/// A ``SandboxedExecutor`` that needs nothing but its settings (the compiled languages).
public protocol SettingsOnlyExecutor: SandboxedExecutor {
    init(settings: ExecutorSettings)
}

extension SettingsOnlyExecutor {
    public init(
        timeout: Duration = ToolchainSettings.defaultTimeout, outputLimit: Int = 256 * 1024,
        outputKillLimit: Int = 16 * 1_048_576, limits: ResourceLimits = ResourceLimits(), sandbox: Sandbox = Sandbox(),
        integrity: IntegrityMode = .strict
    ) {
        self.init(
            settings: ExecutorSettings(
                timeout: timeout, outputLimit: outputLimit, outputKillLimit: outputKillLimit, limits: limits,
                sandbox: sandbox, integrity: integrity))
    }
}
