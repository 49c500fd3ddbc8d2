import Foundation

/// What this machine can do to contain code, found by trying each mechanism once per process.
public struct SandboxCapabilities: Hashable, Sendable {
    /// `bwrap`, when it starts a sandbox with new namespaces here.
    public var bubblewrap: String?
    /// `unshare`, when it starts new namespaces here (the fallback without a read-only filesystem).
    public var unshare: String?
    /// Where run cgroups are made, when they can be.
    var cgroupLayout: CgroupLayout?
    /// Why no cgroup can be used, when none can.
    var cgroupProblem: String?
    /// `prlimit`, when present.
    public var prlimit: String?
    /// `setpriv`, when present: cold runs become the unprivileged user through it.
    public var setpriv: String?
    /// The kernel's Landlock ABI version, 0 without Landlock.
    public var landlockABI = 0
    /// Why the namespaces are missing, when they are.
    var namespaceProblem: String?

    /// The capabilities of this machine, detected on first use.
    public static func current() async -> SandboxCapabilities {
        await cache.value()
    }

    private static let cache = CapabilityCache()

    static func detect() async -> SandboxCapabilities {
        var capabilities = SandboxCapabilities()
        capabilities.prlimit = ResourceLimits.prlimitPath
        #if os(Linux)
            capabilities.setpriv = ExecutableSearch.locate("setpriv", path: "/usr/bin:/bin:/usr/local/bin")
            // landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION): the ABI version, or -1.
            capabilities.landlockABI = max(0, systemCall(444, 0, 0, 1))
            let bwrap = ExecutableSearch.locate("bwrap", path: "/usr/bin:/bin:/usr/local/bin")
            let unshare = ExecutableSearch.locate("unshare", path: "/usr/bin:/bin:/usr/local/bin")
            var problems: [String] = []
            // The two probes are independent process starts: run them side by side.
            async let bwrapProblem = probe(bwrap, Sandbox.bubblewrapArguments(FilesystemView()) + ["/bin/true"])
            async let unshareProblem = probe(unshare, Sandbox.unshareArguments + ["/bin/true"])
            if let bwrap {
                if let problem = await bwrapProblem {
                    problems.append("bwrap cannot start a sandbox here: \(problem)")
                } else {
                    capabilities.bubblewrap = bwrap
                }
            } else {
                problems.append("bubblewrap is not installed (apt-get install bubblewrap)")
            }
            if let unshare {
                if let problem = await unshareProblem {
                    problems.append("unshare cannot create namespaces here: \(problem)")
                } else {
                    capabilities.unshare = unshare
                }
            } else {
                problems.append("unshare (util-linux) is not installed")
            }
            capabilities.namespaceProblem = problems.isEmpty ? nil : problems.joined(separator: "; ")
            switch CgroupLayout.detect() {
            case .success(let layout):
                do {
                    try Cgroup.create(memoryBytes: nil, maxProcesses: nil, layout: layout).remove()
                    capabilities.cgroupLayout = layout
                    Cgroup.sweep(layout)
                } catch {
                    capabilities.cgroupProblem = "cannot create a cgroup: \(error)"
                }
            case .failure(let error):
                capabilities.cgroupProblem = error.description
            }
        #else
            capabilities.namespaceProblem = "namespaces exist only on Linux"
            capabilities.cgroupProblem = "cgroups exist only on Linux"
        #endif
        return capabilities
    }

    /// `nil` when the command exits 0 (or there is no command), otherwise what went wrong.
    private static func probe(_ executable: String?, _ arguments: [String]) async -> String? {
        guard let executable else { return nil }
        let request = ProcessRequest(
            executable: executable, arguments: arguments, environment: ["PATH": "/usr/bin:/bin"],
            workingDirectory: "/", timeout: .seconds(10), outputLimit: 4096, limits: ResourceLimits(openFiles: nil))
        guard let result = try? await ProcessRunner().run(request) else { return "it could not be started" }
        if result.exitCode == 0 { return nil }
        let message = result.standardError.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return message.isEmpty ? "exit \(result.shellExitCode)" : message
    }

    /// The layers a run with `sandbox` gets on this machine, and why any is missing.
    public func layers(for sandbox: Sandbox) -> [SandboxLayerStatus] {
        let wrapper = sandbox.namespaceWrapper(self, writable: [])
        let namespaces = wrapper.map { (URL(fileURLWithPath: $0.0).lastPathComponent, $0.0) }
        let off = "off (--no-sandbox)"
        let missing =
            sandbox.namespaces == .none ? "namespaces turned off" : (namespaceProblem ?? "unavailable")
        func namespaceStatus(_ layer: SandboxLayer) -> SandboxLayerStatus {
            guard sandbox.enabled else { return SandboxLayerStatus(layer: layer, active: false, detail: off) }
            guard let namespaces else { return SandboxLayerStatus(layer: layer, active: false, detail: missing) }
            return SandboxLayerStatus(layer: layer, active: true, detail: namespaces.0)
        }
        let bwrapMissing =
            sandbox.enabled ? "needs bubblewrap: \(bubblewrap == nil ? missing : "not selected")" : off
        let bwrap = namespaces?.0 == "bwrap"
        var layers = [
            namespaceStatus(.pidNamespace),
            SandboxLayerStatus(
                layer: .readOnlyFilesystem, active: bwrap,
                detail: bwrap ? "bwrap: only the run's directories and a private /tmp writable" : bwrapMissing),
            SandboxLayerStatus(
                layer: .filesystemView, active: bwrap,
                detail: bwrap ? "bwrap: \(FilesystemView().summary)" : bwrapMissing),
            userStatus(sandbox),
            diskStatus(sandbox),
            namespaceStatus(.networkNamespace),
            namespaceStatus(.ipcAndUTSNamespaces),
        ]
        let cgroup = cgroupLayout.map(\.name)
        func cgroupStatus(_ layer: SandboxLayer, controller: Bool, limit: String) -> SandboxLayerStatus {
            guard sandbox.enabled else { return SandboxLayerStatus(layer: layer, active: false, detail: off) }
            guard sandbox.cgroups else {
                return SandboxLayerStatus(layer: layer, active: false, detail: "cgroups turned off")
            }
            guard let cgroup, controller else {
                return SandboxLayerStatus(
                    layer: layer, active: false, detail: cgroupProblem ?? "controller not mounted")
            }
            return SandboxLayerStatus(layer: layer, active: true, detail: "\(cgroup), \(limit)")
        }
        let memoryText = sandbox.memoryBytes.map { "\($0 / 1_048_576) MB" } ?? "no limit set"
        var memory = cgroupStatus(.memoryLimit, controller: cgroupLayout?.hasMemory ?? false, limit: memoryText)
        if !memory.active, sandbox.enabled, prlimit != nil, sandbox.memoryBytes != nil {
            memory = SandboxLayerStatus(
                layer: .memoryLimit, active: true,
                detail: "address-space rlimit: \(memoryText) + \(Sandbox.addressSpaceHeadroom / 1_048_576) MB for the "
                    + "interpreter (no memory cgroup: \(memory.detail))")
        }
        layers.append(memory)
        layers.append(
            cgroupStatus(
                .processLimit, controller: cgroupLayout?.hasPids ?? false,
                limit: sandbox.maxProcesses.map { "at most \($0) processes" } ?? "no limit set"))
        layers.append(
            SandboxLayerStatus(
                layer: .resourceLimits, active: prlimit != nil,
                detail: prlimit != nil ? "prlimit: CPU time, file size, open files, no core dumps" : "prlimit not found"
            ))
        layers.append(
            SandboxLayerStatus(
                layer: .environmentAllowlist, active: true,
                detail: "only \(ChildEnvironment.allowedNames.sorted().joined(separator: ", ")) and LC_*"))
        layers.append(
            SandboxLayerStatus(
                layer: .processGroup, active: true, detail: "own session; SIGKILL to the group at the timeout and after"
            ))
        layers.append(systemCallFilterStatus(sandbox))
        layers.append(landlockStatus(sandbox))
        return layers
    }
}

extension SandboxCapabilities {
    /// Who the code runs as.
    func userStatus(_ sandbox: Sandbox) -> SandboxLayerStatus {
        guard sandbox.enabled else {
            return SandboxLayerStatus(layer: .unprivilegedUser, active: false, detail: "off (--no-sandbox)")
        }
        guard let user = sandbox.user else {
            return SandboxLayerStatus(
                layer: .unprivilegedUser, active: true, detail: "autocoder's own user (uid \(geteuid()), not root)")
        }
        guard sandbox.makesView(self) else {
            return SandboxLayerStatus(
                layer: .unprivilegedUser, active: false,
                detail: "needs the filesystem view (bubblewrap), where the interpreter is readable to another user")
        }
        guard setpriv != nil else {
            return SandboxLayerStatus(
                layer: .unprivilegedUser, active: false,
                detail: "setpriv (util-linux) not found: cold runs stay root, without capabilities")
        }
        return SandboxLayerStatus(
            layer: .unprivilegedUser, active: true,
            detail: "uid \(user.uid), gid \(user.gid) (nobody), no groups, no capabilities, no new privileges")
    }

    /// Where the disk limit holds.
    func diskStatus(_ sandbox: Sandbox) -> SandboxLayerStatus {
        guard sandbox.enabled else {
            return SandboxLayerStatus(layer: .diskQuota, active: false, detail: "off (--no-sandbox)")
        }
        let size = "\(sandbox.diskBytes / 1_048_576) MB"
        guard geteuid() == 0 else {
            return SandboxLayerStatus(
                layer: .diskQuota, active: false,
                detail: "the workspace stays on the host's disk (a tmpfs of its own needs root); /tmp is \(size)")
        }
        return SandboxLayerStatus(
            layer: .diskQuota, active: true, detail: "workspace: a tmpfs of \(size); /tmp: \(size) (both in memory)")
    }

    /// Landlock applies to every sandboxed run where the kernel has it: a warm pytest run installs it itself, every
    /// other run starts through ``LandlockLauncher``, which needs the system's Python.
    func landlockStatus(_ sandbox: Sandbox) -> SandboxLayerStatus {
        guard sandbox.enabled else {
            return SandboxLayerStatus(layer: .landlock, active: false, detail: "off (--no-sandbox)")
        }
        guard landlockABI > 0 else {
            return SandboxLayerStatus(layer: .landlock, active: false, detail: "this kernel has no Landlock (5.13+)")
        }
        guard LandlockLauncher.available(self) else {
            return SandboxLayerStatus(
                layer: .landlock, active: true,
                detail: "ABI \(landlockABI) (warm pytest runs only: other runs need \(LandlockLauncher.interpreter))")
        }
        return SandboxLayerStatus(
            layer: .landlock, active: true,
            detail: "ABI \(landlockABI) (every run): writes only beneath the run's directories"
                + (landlockABI >= 6 ? "; no signals or abstract sockets outside the run" : ""))
    }

    /// The seccomp filter (``SystemCallFilter``) applies to every sandboxed run on x86_64 kernels that have seccomp:
    /// through bubblewrap, the warm pytest worker, or a cold pytest's own start.
    func systemCallFilterStatus(_ sandbox: Sandbox) -> SandboxLayerStatus {
        guard sandbox.enabled else {
            return SandboxLayerStatus(layer: .systemCallFilter, active: false, detail: "off (--no-sandbox)")
        }
        #if arch(x86_64)
            let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
            guard status.contains("Seccomp:") else {
                return SandboxLayerStatus(
                    layer: .systemCallFilter, active: false, detail: "this kernel has no seccomp")
            }
            return SandboxLayerStatus(
                layer: .systemCallFilter, active: true,
                detail: bubblewrap == nil
                    ? "seccomp (pytest runs only: other runs need bubblewrap): ptrace, mount, new namespaces, "
                        + "io_uring, bpf, keys, modules → EPERM"
                    : "seccomp (every run): ptrace, mount, new namespaces, io_uring, bpf, keys, modules → EPERM")
        #else
            return SandboxLayerStatus(
                layer: .systemCallFilter, active: false, detail: "seccomp filter is for x86_64 only")
        #endif
    }
}

extension CgroupLayout {
    var name: String {
        switch self {
        case .v1: "cgroup v1"
        case .v2: "cgroup v2"
        }
    }

    var hasMemory: Bool {
        switch self {
        case .v1(let memory, _): memory != nil
        case .v2: true
        }
    }

    var hasPids: Bool {
        switch self {
        case .v1(_, let pids): pids != nil
        case .v2: true
        }
    }
}

private actor CapabilityCache {
    /// The detection, started by the first caller; later callers, and those that come while it runs, share it.
    private var detection: Task<SandboxCapabilities, Never>?

    func value() async -> SandboxCapabilities {
        if let detection { return await detection.value }
        let detection = Task { await SandboxCapabilities.detect() }
        self.detection = detection
        return await detection.value
    }
}
