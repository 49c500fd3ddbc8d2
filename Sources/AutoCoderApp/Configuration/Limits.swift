import AutoCoder
import AutoCoderExecution
import AutoCoderStore

/// How code runs: the bounds of one test run and the guards of its verdict.
public struct Limits: Codable, Hashable, Sendable {
    /// Wall-clock limit of one run in seconds (default 30).
    public var timeoutSeconds: Double?
    /// Memory limit of one run in MB (default 1024; without the sandbox, no limit unless given).
    public var memoryMB: Int?
    /// Disk limit of one run in MB (default 1024).
    public var diskMB: Int?
    /// Most processes and threads of one run at once (default 2048).
    public var maxProcesses: Int?
    /// Namespaces and cgroups on (the process group, rlimits and allowlisted environment stay either way).
    public var sandbox: Bool
    /// Runs may reuse warm processes (the pytest worker).
    public var warmWorker: Bool
    /// How a verdict is guarded against forgery (default strict).
    public var integrity: IntegrityMode?
    /// The Python interpreter (`--python`): a path or a name on `PATH`.
    public var python: String?

    public init(
        timeoutSeconds: Double? = nil, memoryMB: Int? = nil, diskMB: Int? = nil, maxProcesses: Int? = nil,
        sandbox: Bool = true, warmWorker: Bool = true, integrity: IntegrityMode? = nil, python: String? = nil
    ) {
        self.timeoutSeconds = timeoutSeconds
        self.memoryMB = memoryMB
        self.diskMB = diskMB
        self.maxProcesses = maxProcesses
        self.sandbox = sandbox
        self.warmWorker = warmWorker
        self.integrity = integrity
        self.python = python
    }

    public static let defaultTimeout = 30.0
    public static let defaultMemoryMB = 1024
    /// Processes and threads: enough for a test that starts a thousand threads (Exercism's bank-account in C++)
    /// and for a JVM's own on a many-core machine; a fork loop still stops here, and at the memory limit sooner.
    public static let defaultMaxProcesses = 2048
    public static let defaultDiskMB = 1024

    /// Why these limits are out of range, or `nil`.
    public var problem: String? {
        if let timeoutSeconds, !(timeoutSeconds > 0 && timeoutSeconds <= 86_400) {
            return "--timeout must be a number of seconds above 0 and at most 86400 (it is \(timeoutSeconds))."
        }
        if let memoryMB, !(16...1_048_576).contains(memoryMB) {
            return "--memory must be between 16 and 1048576 MB (it is \(memoryMB))."
        }
        if let diskMB, !(16...1_048_576).contains(diskMB) {
            return "--disk must be between 16 and 1048576 MB (it is \(diskMB))."
        }
        if let maxProcesses, !(4...100_000).contains(maxProcesses) {
            return "--max-procs must be between 4 and 100000 (it is \(maxProcesses))."
        }
        return nil
    }

    /// The sandbox these limits describe. Without the sandbox, `memoryMB` is still enforced (as an address-space
    /// rlimit, since there is no cgroup); without `memoryMB` there is then no memory limit.
    public var sandboxConfiguration: Sandbox {
        Sandbox(
            enabled: sandbox,
            memoryBytes: sandbox ? (memoryMB ?? Self.defaultMemoryMB) * 1_048_576 : memoryMB.map { $0 * 1_048_576 },
            maxProcesses: maxProcesses ?? Self.defaultMaxProcesses,
            diskBytes: (diskMB ?? Self.defaultDiskMB) * 1_048_576)
    }

    /// What the run store records of these limits for a run whose timeout is `timeoutSeconds` (a task's own may
    /// differ from these limits'), each left unset resolved to its default here, once, for `solve` and `bench` alike.
    func recorded(
        provider: String, model: String?, maxIterations: Int, timeoutSeconds: Double? = nil
    ) -> RunSettings {
        var settings = RunSettings(
            provider: provider, model: model, maxIterations: maxIterations,
            timeoutSeconds: timeoutSeconds ?? self.timeoutSeconds ?? Self.defaultTimeout,
            memoryMB: memoryMB ?? Self.defaultMemoryMB, maxProcesses: maxProcesses ?? Self.defaultMaxProcesses,
            sandbox: sandbox, python: python)
        settings.diskMB = diskMB ?? Self.defaultDiskMB
        settings.integrity = integrity ?? .strict
        return settings
    }

    /// What every toolchain's executor gets. `warm` lets runs reuse warm processes (worth it from the second run
    /// on: starting a pytest worker costs about as much as one cold run).
    public func toolchainSettings(warm: Bool = true) -> ToolchainSettings {
        ToolchainSettings(
            timeout: .milliseconds(Int((timeoutSeconds ?? Self.defaultTimeout) * 1000)), sandbox: sandboxConfiguration,
            integrity: integrity ?? .strict, warm: warm && warmWorker, interpreters: Self.interpreters(python: python))
    }

    /// `python`, the one interpreter the configuration names, as the toolchains take it.
    static func interpreters(python: String?) -> [Language: String] {
        python.map { [PythonToolchain.name: $0] } ?? [:]
    }

    enum CodingKeys: String, CodingKey {
        case sandbox, integrity, python, timeoutSeconds, memoryMB, diskMB, warmWorker
        case maxProcesses = "max_procs"
    }
}
