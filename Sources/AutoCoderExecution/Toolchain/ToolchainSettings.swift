import AutoCoder

/// How a toolchain's executor runs code: the limits and guards every language shares.
public struct ToolchainSettings: Hashable, Sendable {
    /// The wall-clock limit of one run, unless the task sets its own.
    public var timeout: Duration
    /// The namespaces, cgroup limits and their settings.
    public var sandbox: Sandbox
    /// How the verdict is guarded against code that forges it.
    public var integrity: IntegrityMode
    /// Whether runs may reuse warm processes (the pytest worker); results are the same either way.
    public var warm: Bool
    /// The interpreter or driver to use, by language (a path or a name on `PATH`); absent means the toolchain's
    /// own default.
    public var interpreters: [Language: String]
    /// The project a repository's own command runs in (`fix`), where a version manager's shim is followed (pyenv
    /// reads the tree's `.python-version`, as the user's shell there would); `nil` for tasks.
    public var projectDirectory: String? = nil

    /// The wall-clock limit of a run when neither the task nor the caller sets one.
    public static let defaultTimeout: Duration = .seconds(30)

    public init(
        timeout: Duration = defaultTimeout, sandbox: Sandbox = Sandbox(), integrity: IntegrityMode = .strict,
        warm: Bool = true, interpreters: [Language: String] = [:]
    ) {
        self.timeout = timeout
        self.sandbox = sandbox
        self.integrity = integrity
        self.warm = warm
        self.interpreters = interpreters
    }
}
