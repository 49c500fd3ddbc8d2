/// One layer of protection around code under test.
public enum SandboxLayer: String, Codable, Hashable, Sendable, CaseIterable {
    /// A new PID namespace: the code sees only its own processes, cannot signal autocoder, cannot read the parent's
    /// `/proc/PID/environ`, and everything in it dies with the run.
    case pidNamespace = "pid_namespace"
    /// A new mount namespace: the filesystem is read-only except the run's directory and a private `/tmp`.
    case readOnlyFilesystem = "read_only_filesystem"
    /// Only the system directories, the toolchain's and the run's are there (``FilesystemView``): not `/root`,
    /// `/home`, `/var`, the run store or the user's files.
    case filesystemView = "filesystem_view"
    /// The code runs as an unprivileged user (``SandboxUser``): root's private files are unreadable to it and
    /// root's files unwritable.
    case unprivilegedUser = "unprivileged_user"
    /// The run's workspace is a tmpfs of the disk limit (``WorkspaceDisk``) and its `/tmp` as large: writing
    /// without end stops there, not when the host's disk is full.
    case diskQuota = "disk_quota"
    /// A new network namespace: only loopback, which reaches nothing outside.
    case networkNamespace = "network_namespace"
    /// New IPC and UTS namespaces: no shared memory or semaphores with the host, a separate host name.
    case ipcAndUTSNamespaces = "ipc_uts_namespaces"
    /// A memory cgroup: the code is killed when it uses more than its memory limit.
    case memoryLimit = "memory_limit"
    /// A pids cgroup: the code cannot start more than its process limit (a fork bomb stops there).
    case processLimit = "process_limit"
    /// Kernel rlimits: CPU time, file size, open files, no core dumps (and address space without a memory cgroup).
    case resourceLimits = "resource_limits"
    /// The environment is reduced to an allowlist: no API keys, tokens or other variables of the parent.
    case environmentAllowlist = "environment_allowlist"
    /// A new session and process group, killed as a whole at the timeout and after every run.
    case processGroup = "process_group"
    /// A seccomp filter (every run, ``SystemCallFilter``): `ptrace`, `mount`, new namespaces of any kind, `io_uring`,
    /// `bpf`, kernel keys and modules and the like fail with EPERM.
    case systemCallFilter = "system_call_filter"
    /// Landlock (pytest runs, Linux 5.13+): writes only beneath the run's directories, even where there is no
    /// filesystem view; from ABI 6 no signals or abstract sockets outside the run (`landlock_rules.py`).
    case landlock = "landlock"
}

/// Whether a layer is in force on this machine, how, and why not.
public struct SandboxLayerStatus: Codable, Hashable, Sendable {
    public var layer: SandboxLayer
    public var active: Bool
    /// What provides the layer (`bwrap`, `cgroup v1`, `prlimit`), or what is missing.
    public var detail: String

    public init(layer: SandboxLayer, active: Bool, detail: String) {
        self.layer = layer
        self.active = active
        self.detail = detail
    }
}
