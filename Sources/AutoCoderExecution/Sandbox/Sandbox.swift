import Foundation

/// How code under test is contained: the limits, and whether the namespace and cgroup layers are used.
///
/// Each layer is used where the machine has it (see ``SandboxCapabilities``); where one is missing the run still
/// goes ahead in its own process group with rlimits, and ``SandboxCapabilities/layers(for:)`` says what is missing.
public struct Sandbox: Hashable, Sendable {
    /// Which program creates the namespaces.
    public enum Namespaces: String, Hashable, Sendable {
        /// bubblewrap where it works (with the filesystem view and the unprivileged user), else `unshare`, else
        /// none.
        case automatic
        /// `unshare` only: the namespaces without the filesystem view.
        case unshare
        /// No namespaces.
        case none
    }

    /// Whether the namespace and cgroup layers are used (the process group, rlimits and environment allowlist
    /// always are).
    public var enabled: Bool
    /// The most memory the run may use, in bytes.
    public var memoryBytes: Int?
    /// The most processes (and threads) the run may have at once.
    public var maxProcesses: Int?
    /// Which program creates the namespaces.
    public var namespaces: Namespaces
    /// Whether cgroups bound memory and processes (without them, memory falls back to an address-space rlimit).
    public var cgroups: Bool
    /// The most the run may write, in bytes: the size of its private `/tmp`, and of its workspace where that is a
    /// tmpfs of its own (``WorkspaceDisk``, when autocoder runs as root).
    public var diskBytes: Int

    public init(
        enabled: Bool = true, memoryBytes: Int? = 1024 * 1_048_576, maxProcesses: Int? = 2048,
        namespaces: Namespaces = .automatic, cgroups: Bool = true, diskBytes: Int = 1024 * 1_048_576
    ) {
        self.enabled = enabled
        self.memoryBytes = memoryBytes
        self.maxProcesses = maxProcesses
        self.namespaces = namespaces
        self.cgroups = cgroups
        self.diskBytes = diskBytes
    }

    /// The user the code runs as where the ``FilesystemView`` is made: ``SandboxUser/unprivileged`` when the
    /// sandbox is on, else `nil` (autocoder's own).
    public var user: SandboxUser? { enabled ? SandboxUser.unprivileged : nil }

    /// What the code sees of the filesystem when bubblewrap or the warm worker makes the view.
    public func view(
        writable: [String], readOnly: [String] = [], relocated: [String: String] = [:]
    ) -> FilesystemView {
        FilesystemView(readOnly: readOnly, writable: writable, relocated: relocated, temporaryBytes: diskBytes)
    }

    /// No namespaces and no cgroups: a process group, rlimits and a clean environment only (and no memory limit).
    public static let off = Sandbox(enabled: false, memoryBytes: nil)

    /// Extra address space allowed above the memory limit when the limit falls back to RLIMIT_AS, for what the
    /// interpreter and its libraries map before the code runs.
    static let addressSpaceHeadroom = 512 * 1_048_576

    /// Runs `request` inside the sandbox; only the directories in `writable` and a private `/tmp` can be written.
    /// With bubblewrap the code sees only the ``FilesystemView`` (the system directories, `readOnly`, the
    /// interpreter's or toolchain's own, and `writable`) and runs as ``user``, who must be able to write `writable`
    /// (a ``Workspace`` made for this sandbox is).
    /// - Throws: ``ProcessLaunchError`` when the program cannot start; `CancellationError` when cancelled.
    /// `relocated`: directories bound writable at other paths, by those paths (where the view is made).
    public func run(
        _ request: ProcessRequest, writable: [String], readOnly: [String] = [], relocated: [String: String] = [:],
        observer: ProcessObserver = ProcessObserver()
    ) async throws -> SandboxedRun {
        let capabilities = await SandboxCapabilities.current()
        var request = request
        // A verdict's seal lines are kept whole in every sandboxed run, so the code cannot print them away.
        request.pinnedMarker = request.pinnedMarker ?? VerdictSeal.marker
        let cgroup: Cgroup?
        (cgroup, request.limits) = await limitsForRun(request.limits)
        // The code becomes the unprivileged user only inside the view, where the interpreter's directory is bound
        // where that user can read it (a pyenv under /root, mode 700, could not be read otherwise).
        if enabled, LandlockLauncher.available(capabilities) {
            let allowed =
                makesView(capabilities)
                ? view(writable: writable, readOnly: readOnly, relocated: relocated).writableDirectories : writable
            LandlockLauncher.wrap(&request, writable: allowed)
        }
        var becomesUser = false
        if makesView(capabilities), let user, let setpriv = capabilities.setpriv {
            request.arguments = user.setprivArguments + [request.executable] + request.arguments
            request.executable = setpriv
            becomesUser = true
        }
        let wrapper = namespaceWrapper(
            capabilities, writable: writable, readOnly: readOnly, relocated: relocated, keepSetUID: becomesUser)
        // bubblewrap loads the system-call filter from a descriptor that the shell before it opens.
        let filter = wrapper?.0 == capabilities.bubblewrap ? SystemCallFilter.file() : nil
        if let (program, arguments) = wrapper {
            let filtered = filter == nil ? arguments : ["--seccomp", String(Self.filterDescriptor)] + arguments
            request.arguments = filtered + [request.executable] + request.arguments
            request.executable = program
        }
        if cgroup != nil || filter != nil {
            var steps = cgroup.map { [$0.joinScript] } ?? []
            if filter != nil { steps.append("exec \(Self.filterDescriptor)<\"$0\"") }
            request.arguments =
                ["-c", (steps + ["exec \"$@\""]).joined(separator: " && "), filter ?? "sh", request.executable]
                + request.arguments
            request.executable = "/bin/sh"
        }

        let result: ProcessResult
        do {
            result = try await ProcessRunner().run(request, observer: observer)
        } catch {
            cgroup?.killAllAndRemove()
            throw error
        }
        let events = cgroup?.events() ?? Cgroup.Events(outOfMemory: false, processLimitHit: false)
        cgroup?.killAllAndRemove()
        var process = result
        // The namespace wrappers exit with 128 + N when signal N killed the program they ran.
        if wrapper != nil, case .exited(let code) = result.termination, code > 128, code <= 128 + 64 {
            process.termination = .signaled(code - 128)
        }
        return SandboxedRun(
            process: process, outOfMemory: events.outOfMemory, processLimitHit: events.processLimitHit,
            memoryBytes: memoryBytes, maxProcesses: maxProcesses)
    }

    /// The run's own cgroup, where the machine has one and this sandbox uses it, and `limits` with the
    /// address-space rlimit that stands in for a missing memory cgroup. The caller removes the cgroup after the
    /// run. Cold runs (``run(_:writable:readOnly:)``) start here; warm runs, forked inside their worker's cgroup,
    /// use ``limitsForRun(_:inside:)``.
    func limitsForRun(_ limits: ResourceLimits) async -> (cgroup: Cgroup?, limits: ResourceLimits) {
        var limits = limits
        var cgroup: Cgroup?
        // With the sandbox off the cgroup limits nothing, but still holds every process the run starts, so that
        // one that left the process group (a new session) is stopped with the rest.
        if cgroups, let layout = await SandboxCapabilities.current().cgroupLayout {
            cgroup = try? Cgroup.create(
                memoryBytes: enabled ? memoryBytes : nil, maxProcesses: enabled ? maxProcesses : nil, layout: layout)
        }
        // Without a memory cgroup (none here, or the sandbox is off), the address-space rlimit stands in.
        if cgroup?.memoryDirectory == nil || !enabled, let memoryBytes {
            limits.addressSpaceBytes = memoryBytes + Self.addressSpaceHeadroom
        }
        return (cgroup, limits)
    }

    /// The limits of a run forked inside `cgroup`, a cgroup that outlives the run (the warm worker's): the
    /// cgroup gets this sandbox's memory and process limits on top of what it holds now (none when the sandbox
    /// or its cgroups are off), and the usage it starts from is returned, to read the run's events against.
    /// Without a memory controller the address-space rlimit stands in, as in ``limitsForRun(_:)``.
    /// - Throws: ``CgroupError`` when the limits cannot be written.
    func limitsForRun(
        _ limits: ResourceLimits, inside cgroup: Cgroup?
    ) throws -> (start: Cgroup.Usage?, limits: ResourceLimits) {
        var limits = limits
        let limited = enabled && cgroups
        let start = try cgroup?.limitNextRun(
            memoryBytes: limited ? memoryBytes : nil, maxProcesses: limited ? maxProcesses : nil)
        if !limited || cgroup?.memoryDirectory == nil, let memoryBytes {
            limits.addressSpaceBytes = memoryBytes + Self.addressSpaceHeadroom
        }
        return (start, limits)
    }

    /// Whether runs here see only the ``FilesystemView`` (made by bubblewrap, or by the warm worker).
    public func makesView(_ capabilities: SandboxCapabilities) -> Bool {
        enabled && namespaces == .automatic && capabilities.bubblewrap != nil
    }

    /// The program and arguments that put the command in new namespaces, if any are to be used and available.
    /// `keepSetUID` keeps the two capabilities the command needs to become the unprivileged user (`setpriv`).
    func namespaceWrapper(
        _ capabilities: SandboxCapabilities, writable: [String], readOnly: [String] = [],
        relocated: [String: String] = [:], keepSetUID: Bool = false
    ) -> (String, [String])? {
        guard enabled else { return nil }
        let unshare = capabilities.unshare.map { ($0, Self.unshareArguments) }
        switch namespaces {
        case .automatic:
            return capabilities.bubblewrap.map {
                (
                    $0,
                    Self.bubblewrapArguments(
                        view(writable: writable, readOnly: readOnly, relocated: relocated), keepSetUID: keepSetUID)
                )
            } ?? unshare
        case .unshare: return unshare
        case .none: return nil
        }
    }

    /// The descriptor bubblewrap reads the system-call filter from (``SystemCallFilter``).
    static let filterDescriptor = 9

    /// bwrap's arguments before the command: the ``FilesystemView`` (nothing of the host but the system
    /// directories and the given paths; only the writable ones and a private `/tmp` writable); new PID, mount,
    /// network, IPC and UTS namespaces; no capabilities (run as root, bwrap would otherwise leave them all), but
    /// for `setuid`/`setgid` when `keepSetUID` (the command then becomes the unprivileged user at once, which clears
    /// them); killed with its parent; a new session.
    static func bubblewrapArguments(_ view: FilesystemView, keepSetUID: Bool = false) -> [String] {
        view.bubblewrapArguments()
            + [
                "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                "--hostname", "sandbox", "--cap-drop", "ALL",
            ]
            + (keepSetUID ? ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"] : [])
            + ["--die-with-parent", "--new-session", "--"]
    }

    /// unshare's arguments before the command, where bubblewrap is missing: the same namespaces, without the
    /// read-only filesystem.
    static let unshareArguments = [
        "--pid", "--fork", "--kill-child", "--mount-proc", "--net", "--ipc", "--uts", "--",
    ]
}

/// The result of a sandboxed run: how the process ended, and which limits it ran into.
public struct SandboxedRun: Hashable, Sendable {
    public var process: ProcessResult
    /// The memory cgroup killed something for using more than the limit.
    public var outOfMemory: Bool
    /// Some fork or thread creation was refused at the process limit.
    public var processLimitHit: Bool
    public var memoryBytes: Int?
    public var maxProcesses: Int?

    /// A sentence for a model or a person about a limit the run ran into, if it ran into one.
    public var limitMessage: String? {
        var parts: [String] = []
        if outOfMemory {
            let limit = memoryBytes.map { " of \($0 / 1_048_576) MB" } ?? ""
            parts.append("The code ran out of memory: it used more than the limit\(limit) and was killed.")
        }
        if processLimitHit {
            let limit = maxProcesses.map { " of \($0)" } ?? ""
            parts.append(
                "The code tried to start too many processes or threads: the limit\(limit) was reached "
                    + "(is there a fork loop or unbounded parallelism?).")
        }
        if process.outputLimitExceeded {
            parts.append(
                "The code printed more than the output limit and was stopped: print less, especially in loops.")
        }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}
