import Foundation

/// Kernel resource limits for a child process, applied by wrapping the command with util-linux `prlimit`.
///
/// They are a backstop behind the wall-clock timeout, not a sandbox: RLIMIT_NPROC, for one, does nothing for root.
/// Where `prlimit` is missing (macOS), ``isEnforced`` is `false` and the command runs unwrapped.
public struct ResourceLimits: Hashable, Sendable {
    /// CPU seconds per process (RLIMIT_CPU); the kernel kills a process that uses more.
    public var cpuSeconds: Int?
    /// The largest file a process may write, in bytes (RLIMIT_FSIZE).
    public var fileSizeBytes: Int?
    /// The most open file descriptors per process (RLIMIT_NOFILE).
    public var openFiles: Int?
    /// Address space per process in bytes (RLIMIT_AS); `nil` leaves it unbounded.
    public var addressSpaceBytes: Int?
    /// Whether core dumps are disabled (RLIMIT_CORE = 0).
    public var disableCoreDumps: Bool

    public init(
        cpuSeconds: Int? = nil,
        fileSizeBytes: Int? = 64 * 1024 * 1024,
        openFiles: Int? = 1024,
        addressSpaceBytes: Int? = nil,
        disableCoreDumps: Bool = true
    ) {
        self.cpuSeconds = cpuSeconds
        self.fileSizeBytes = fileSizeBytes
        self.openFiles = openFiles
        self.addressSpaceBytes = addressSpaceBytes
        self.disableCoreDumps = disableCoreDumps
    }

    /// These limits with a CPU-time backstop a little above `timeout`, unless a CPU limit is set already.
    public func withCPUBackstop(for timeout: Duration) -> ResourceLimits {
        var limits = self
        if limits.cpuSeconds == nil { limits.cpuSeconds = Int(timeout.components.seconds) + 2 }
        return limits
    }

    /// The `prlimit` program, when this machine has it.
    public static let prlimitPath: String? = ["/usr/bin/prlimit", "/bin/prlimit"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Whether these limits can be applied on this machine.
    public var isEnforced: Bool { Self.prlimitPath != nil }

    /// The command line that runs `executable` with `arguments` under these limits.
    package func wrap(executable: String, arguments: [String]) -> (executable: String, arguments: [String]) {
        guard let prlimit = Self.prlimitPath else { return (executable, arguments) }
        var options: [String] = []
        if let cpuSeconds { options.append("--cpu=\(cpuSeconds)") }
        if let fileSizeBytes { options.append("--fsize=\(fileSizeBytes)") }
        if let openFiles { options.append("--nofile=\(openFiles)") }
        if let addressSpaceBytes { options.append("--as=\(addressSpaceBytes)") }
        if disableCoreDumps { options.append("--core=0") }
        guard !options.isEmpty else { return (executable, arguments) }
        return (prlimit, options + ["--", executable] + arguments)
    }
}
