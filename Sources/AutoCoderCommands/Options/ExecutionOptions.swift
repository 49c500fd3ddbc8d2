import ArgumentParser
import AutoCoder
import AutoCoderApp
import AutoCoderExecution

/// How one run is bounded and sandboxed: every command that runs code (`doctor` reports on these).
struct SandboxOptions: ParsableArguments {
    @Option(
        parsing: .unconditional,
        help: """
            Wall-clock limit of one run in seconds; the whole process tree is killed when it passes. \
            (default: \(Int(Limits.defaultTimeout)); fix: \(FixConfiguration.defaultTimeout))
            """)
    var timeout: Double?

    @Option(
        help: ArgumentHelp(
            "Python interpreter: a path or a name on PATH.",
            discussion: "Default: $AUTOCODER_PYTHON, else python3 (a pyenv shim is followed to the real binary).",
            valueName: "path"))
    var python: String?

    @Option(
        parsing: .unconditional,
        help: "Memory limit of one run in MB; the run is killed past it. (default: \(Limits.defaultMemoryMB))")
    var memory: Int?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Disk limit of one run in MB: its workspace and its /tmp. (default: \(Limits.defaultDiskMB))",
            discussion:
                "Run as root, the workspace is a tmpfs of this size: code that writes more gets 'No space left on "
                + "device' and the run ends 'crashed'. Its files live in memory, so they count toward --memory too."))
    var disk: Int?

    @Option(
        name: .customLong("max-procs"), parsing: .unconditional,
        help: "Most processes and threads of one run at once. (default: \(Limits.defaultMaxProcesses))")
    var maxProcs: Int?

    @Flag(
        name: .customLong("no-sandbox"),
        help:
            "Run without namespaces and cgroup limits (the process group, rlimits and allowlisted environment remain).")
    var noSandbox = false

    @Flag(help: "Print one JSON document on stdout and nothing else there; progress stays on stderr.")
    var json = false

    func validate() throws {
        if let problem = limits().problem { throw ValidationError(problem) }
    }

    /// The limits the flags describe, with the verdict's own settings.
    func limits(warmWorker: Bool = true, integrity: IntegrityMode? = nil) -> Limits {
        Limits(
            timeoutSeconds: timeout, memoryMB: memory, diskMB: disk, maxProcesses: maxProcs, sandbox: !noSandbox,
            warmWorker: warmWorker, integrity: integrity, python: python)
    }

    /// A session with these limits (and `configuration`'s other parts); its notices go to stderr (unless `quiet`),
    /// and its warnings always.
    func session(_ configuration: RunConfiguration, limits: Limits? = nil, quiet: Bool = false) -> Session {
        var configuration = configuration
        configuration.limits = limits ?? self.limits()
        return Session(configuration, notice: { if !quiet { Terminal.note($0) } }, warn: { Terminal.note($0) })
    }
}

/// The language of the code and tests, when the files do not say.
struct LanguageOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Language of the code and tests: \(Toolchains.languages.names). (default: from the test files)",
            valueName: "name"))
    var language: Language?

    func validate() throws {
        if let language, Toolchains.toolchain(for: language) == nil {
            throw ValidationError("--language must be one of \(Toolchains.languages.names) (it is '\(language)').")
        }
    }
}

/// Swift's module name, for the commands whose tasks may be Swift.
struct ModuleOption: ParsableArguments {
    @Option(help: "For Swift: the module the solution forms and the tests import. (default: Solution)")
    var module: String?
}

/// How a verdict is guarded.
struct IntegrityOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "How a verdict is guarded against code that forges it: strict, warn or off. (default: strict)",
            discussion:
                "Python's verdict is computed in a process that never runs the code (the verdict bridge) unless the "
                + "tests mock or inspect it, or this is off. strict: the scan's findings stop an attempt before it "
                + "runs, and a forgery seen while it runs makes the outcome 'tampered'. warn: findings are only "
                + "reported. off: no scan, no check, no bridge. In Swift, Go, Rust, C++, Java and JavaScript the "
                + "framework's own seal is checked in every mode. See docs/INTEGRITY.md.",
            valueName: "mode"))
    var integrity: IntegrityMode?
}

/// How code is run by the commands that run tasks through the loop (`solve`, `bench`, `replay`): the sandbox, the
/// verdict's settings, and the warm worker.
struct ExecutionOptions: ParsableArguments {
    @OptionGroup var sandbox: SandboxOptions

    @Flag(
        name: .customLong("no-warm-worker"),
        help: ArgumentHelp(
            "Start a new Python for every in-process pytest run instead of forking the warm pytest worker.",
            discussion:
                "Bridged runs (the default for Python: the tests and the code in two processes) always fork the "
                + "worker's; this changes only the runs that stay in-process."))
    var noWarmWorker = false

    @OptionGroup var integrityOption: IntegrityOption

    var timeout: Double? { sandbox.timeout }
    var json: Bool { sandbox.json }
    var integrity: IntegrityMode? { integrityOption.integrity }

    /// The limits the flags describe.
    var limits: Limits { sandbox.limits(warmWorker: !noWarmWorker, integrity: integrity) }

    /// The session these flags (and `configuration`'s other parts) describe; its notices go to stderr (unless
    /// `quiet`), and its warnings always.
    func session(_ configuration: RunConfiguration, quiet: Bool = false) -> Session {
        sandbox.session(configuration, limits: limits, quiet: quiet)
    }
}

extension Language: ExpressibleByArgument {}
extension IntegrityMode: ExpressibleByArgument {}
