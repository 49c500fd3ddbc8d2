import ArgumentParser
import AutoCoder
import AutoCoderApp
import AutoCoderExecution

/// How code is run: shared by `solve`, `test` and `exec`.
struct ExecutionOptions: ParsableArguments {
    @Option(
        parsing: .unconditional,
        help: "Wall-clock limit of one run in seconds; the whole process tree is killed when it passes. (default: 30)")
    var timeout: Double?

    @Option(
        help: ArgumentHelp(
            "Python interpreter: a path or a name on PATH.",
            discussion: "Default: $AUTOCODER_PYTHON, else python3 (a pyenv shim is followed to the real binary).",
            valueName: "path"))
    var python: String?

    @Option(parsing: .unconditional, help: "Memory limit of one run in MB; the run is killed past it. (default: 1024)")
    var memory: Int?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Disk limit of one run in MB: its workspace and its /tmp. (default: 1024)",
            discussion:
                "Run as root, the workspace is a tmpfs of this size: code that writes more gets 'No space left on "
                + "device' and the run ends 'crashed'. Its files live in memory, so they count toward --memory too."))
    var disk: Int?

    @Option(
        name: .customLong("max-procs"), parsing: .unconditional,
        help: "Most processes and threads of one run at once. (default: 128)")
    var maxProcs: Int?

    @Flag(
        name: .customLong("no-sandbox"),
        help: "Run without namespaces and cgroups (the process group, rlimits and allowlisted environment remain).")
    var noSandbox = false

    @Flag(
        name: .customLong("no-warm-worker"),
        help: ArgumentHelp(
            "Start a new Python for every in-process pytest run instead of forking the warm pytest worker.",
            discussion:
                "Bridged runs (the default for Python: the tests and the code in two processes) always fork the "
                + "worker's; this changes only the runs that stay in-process."))
    var noWarmWorker = false

    @Option(
        help: ArgumentHelp(
            "How a verdict is guarded against code that forges it: strict, warn or off. (default: strict)",
            discussion:
                "Python's verdict is computed in a process that never runs the code (the verdict bridge) unless the "
                + "tests mock or inspect it, or this is off. strict: the scan's findings stop an attempt before it "
                + "runs, and a forgery seen while it runs makes the outcome 'tampered'. warn: findings are only "
                + "reported. off: no scan, no check, no bridge. In Swift, Go, Rust, C++ and Java the framework's own "
                + "seal and the declared tests are checked in every mode. See docs/INTEGRITY.md.",
            valueName: "mode"))
    var integrity: IntegrityMode?

    @Option(
        help: ArgumentHelp(
            "Language of the code and tests: \(Toolchains.languages.names). (default: from the test files)",
            valueName: "name"))
    var language: Language?

    @Option(help: "For Swift: the module the solution forms and the tests import. (default: Solution)")
    var module: String?

    @Flag(help: "Print one JSON document on stdout and nothing else there; progress stays on stderr.")
    var json = false

    /// Refuses the flags `command` (`test`, `exec`, `doctor`) would silently ignore.
    func refuseUnused(_ flags: Set<String>, by command: String) throws {
        let given: [(String, Bool)] = [
            ("--no-warm-worker", noWarmWorker), ("--language", language != nil), ("--module", module != nil),
            ("--integrity", integrity != nil),
        ]
        if let (flag, _) = given.first(where: { flags.contains($0.0) && $0.1 }) {
            throw ValidationError("\(flag) does nothing for '\(command)'; leave it out.")
        }
    }

    func validate() throws {
        if let problem = limits.problem { throw ValidationError(problem) }
        if let language, Toolchains.toolchain(for: language) == nil {
            throw ValidationError("--language must be one of \(Toolchains.languages.names) (it is '\(language)').")
        }
    }

    /// The limits the flags describe.
    var limits: Limits {
        Limits(
            timeoutSeconds: timeout, memoryMB: memory, diskMB: disk, maxProcesses: maxProcs, sandbox: !noSandbox,
            warmWorker: !noWarmWorker, integrity: integrity, python: python)
    }

    /// The session these flags (and `configuration`'s other parts) describe; its notices go to stderr (unless
    /// `quiet`), and its warnings always.
    func session(_ configuration: RunConfiguration, quiet: Bool = false) -> Session {
        var configuration = configuration
        configuration.limits = limits
        return Session(configuration, notice: { if !quiet { Terminal.note($0) } }, warn: { Terminal.note($0) })
    }

    /// `language`'s toolchain opened with the flags' limits, for one command (`test`, `exec`); close it after.
    func runtime(for language: Language, warm: Bool = true) throws -> any ToolchainRuntime {
        do {
            return try Toolchains.require(language).open(limits.toolchainSettings(warm: warm))
        } catch let error as InputError {
            throw CLIExit.badInput(error.message)
        }
    }
}

extension Language: ExpressibleByArgument {}
extension IntegrityMode: ExpressibleByArgument {}
