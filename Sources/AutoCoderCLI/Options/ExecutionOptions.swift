import ArgumentParser
import AutoCoder
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
        help: "Start a new Python for every pytest run instead of forking the warm pytest worker (for comparison).")
    var noWarmWorker = false

    @Option(
        help: ArgumentHelp(
            "How a verdict is guarded against code that forges it: strict, warn or off. (default: strict)",
            discussion:
                "strict: the scan's findings stop an attempt before it runs, and a forgery seen while it runs makes "
                + "the outcome 'tampered'. warn: findings are only reported. off: no scan, no check. "
                + "See the README's Integrity section.",
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

    static let defaultTimeout = 30.0
    static let defaultMemoryMB = 1024
    static let defaultMaxProcesses = 128
    static let defaultDiskMB = 1024

    func validate() throws {
        if let timeout, !(timeout > 0 && timeout <= 86_400) {
            throw ValidationError("--timeout must be a number of seconds above 0 and at most 86400 (it is \(timeout)).")
        }
        if let memory, !(16...1_048_576).contains(memory) {
            throw ValidationError("--memory must be between 16 and 1048576 MB (it is \(memory)).")
        }
        if let disk, !(16...1_048_576).contains(disk) {
            throw ValidationError("--disk must be between 16 and 1048576 MB (it is \(disk)).")
        }
        if let maxProcs, !(4...100_000).contains(maxProcs) {
            throw ValidationError("--max-procs must be between 4 and 100000 (it is \(maxProcs)).")
        }
        if let language, Toolchains.toolchain(for: language) == nil {
            throw ValidationError(
                "--language must be one of \(Toolchains.languages.names) (it is '\(language)').")
        }
    }

    /// What every toolchain's executor gets from the flags. `warm` lets runs reuse warm processes (the pytest
    /// worker: worth it from the second run on, since starting one costs about as much as one cold run).
    func settings(warm: Bool = true) -> ToolchainSettings {
        ToolchainSettings(
            timeout: .milliseconds(Int((timeout ?? Self.defaultTimeout) * 1000)), sandbox: sandbox,
            integrity: integrity ?? .strict, warm: warm && !noWarmWorker,
            interpreters: Self.interpreters(python: python))
    }

    /// `--python`, the one interpreter a flag names (the contract's flag), as the toolchains take it.
    static func interpreters(python: String?) -> [Language: String] {
        python.map { [PythonToolchain.name: $0] } ?? [:]
    }

    /// The toolchain of `language` (a name the registry knows: the task loader and `--language` check it).
    func toolchain(for language: Language) throws -> any Toolchain {
        do {
            return try Toolchains.require(language)
        } catch let error as InputError {
            throw CLIExit.badInput(error.message)
        }
    }

    /// The executor for `language`, with the flags' limits.
    func executor(for language: Language, warm: Bool = true) throws -> any CodeExecutor & CodeRunner {
        try toolchain(for: language).executor(settings(warm: warm))
    }

    /// Says on stderr which sandbox layers this machine lacks, unless the sandbox was turned off on purpose.
    func warnAboutMissingLayers() async {
        guard !noSandbox else { return }
        let missing = await SandboxCapabilities.current().layers(for: sandbox).filter { !$0.active }
        guard !missing.isEmpty else { return }
        let names = missing.map(\.layer.rawValue).joined(separator: ", ")
        Terminal.note("autocoder: warning: sandbox layers missing on this machine: \(names) (see 'autocoder doctor')")
    }

    /// The sandbox the flags describe. Without the sandbox, `--memory` is still enforced (as an address-space
    /// rlimit, since there is no cgroup); without `--memory` there is then no memory limit.
    var sandbox: Sandbox {
        Sandbox(
            enabled: !noSandbox,
            memoryBytes: noSandbox ? memory.map { $0 * 1_048_576 } : (memory ?? Self.defaultMemoryMB) * 1_048_576,
            maxProcesses: maxProcs ?? Self.defaultMaxProcesses, diskBytes: (disk ?? Self.defaultDiskMB) * 1_048_576)
    }
}

extension Language: ExpressibleByArgument {}
extension IntegrityMode: ExpressibleByArgument {}
