/// A program to run with bounds: a wall-clock timeout, capped output, resource limits.
public struct ProcessRequest: Hashable, Sendable {
    /// The absolute path of the program.
    public var executable: String
    public var arguments: [String]
    /// The complete environment of the child: nothing is inherited that is not listed here.
    public var environment: [String: String]
    public var workingDirectory: String
    /// Wall-clock limit; when it passes, the whole process group is killed.
    public var timeout: Duration
    /// The most bytes kept of standard output, and separately of standard error.
    public var outputLimit: Int
    /// The most bytes the program may print on both streams together before its process group is killed;
    /// `nil` lets it print without end (what is kept is still capped by `outputLimit`).
    public var outputKillLimit: Int?
    /// Kernel limits applied to the child (through `prlimit` where it exists).
    public var limits: ResourceLimits
    /// The child's standard input (read from a private file); `nil` gives it the null device.
    public var input: String?
    /// Whether `input` comes through a pipe instead, which holds it once: read, it is gone (a verdict's seal, which
    /// the test framework reads before the code runs). It must fit in the pipe's buffer (4 KiB here).
    public var inputThroughPipe: Bool
    /// Lines of output holding this text are kept whole, however much other output the cap cuts (a verdict's
    /// seal lines, which the code could otherwise push out of what is kept).
    public var pinnedMarker: String? = nil

    public init(
        executable: String,
        arguments: [String] = [],
        environment: [String: String] = ChildEnvironment.scrubbed(),
        workingDirectory: String,
        timeout: Duration = .seconds(30),
        outputLimit: Int = 256 * 1024,
        outputKillLimit: Int? = nil,
        limits: ResourceLimits = ResourceLimits(),
        input: String? = nil,
        inputThroughPipe: Bool = false
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.timeout = timeout
        self.outputLimit = outputLimit
        self.outputKillLimit = outputKillLimit
        self.limits = limits
        self.input = input
        self.inputThroughPipe = inputThroughPipe
    }
}
