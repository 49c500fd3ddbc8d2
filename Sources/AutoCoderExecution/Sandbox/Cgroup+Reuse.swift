import Foundation

/// A cgroup that outlives its runs: the warm pytest worker's. Its runs are forked inside it, so no run has to
/// move a process into a cgroup, a move that waits for an RCU grace period in the kernel (about 10 ms here, a
/// third of a warm run). Each run gets the sandbox's limits on top of what the cgroup holds when it starts, and
/// its events are the counters' growth during the run.
extension Cgroup {
    /// What the cgroup holds and has counted so far.
    struct Usage: Hashable, Sendable {
        /// Memory charged to the cgroup now (`memory.current`, `memory.usage_in_bytes`).
        var memoryBytes = 0
        /// Processes and threads in it now.
        var processes = 0
        /// Out-of-memory kills so far.
        var outOfMemoryKills = 0
        /// Refused forks so far.
        var processLimitHits = 0
    }

    /// The cgroup's present usage and counters.
    func usage() -> Usage {
        var usage = Usage()
        if let memoryDirectory {
            let current = version == 2 ? "memory.current" : "memory.usage_in_bytes"
            usage.memoryBytes = Self.number(in: "\(memoryDirectory)/\(current)") ?? 0
            let events = version == 2 ? "memory.events" : "memory.oom_control"
            usage.outOfMemoryKills = Self.counter("oom_kill", in: "\(memoryDirectory)/\(events)") ?? 0
        }
        if let pidsDirectory {
            usage.processes = Self.number(in: "\(pidsDirectory)/pids.current") ?? 0
            usage.processLimitHits = Self.counter("max", in: "\(pidsDirectory)/pids.events") ?? 0
        }
        return usage
    }

    /// Limits the next run to `memoryBytes` and `maxProcesses` beyond what the cgroup holds now (`nil`: no
    /// limit), and returns that usage, to compare with after the run.
    /// - Throws: ``CgroupError`` when a limit cannot be written.
    func limitNextRun(memoryBytes: Int?, maxProcesses: Int?) throws -> Usage {
        let usage = usage()
        if let memoryDirectory {
            let limit = memoryBytes.map { "\(usage.memoryBytes + $0)" }
            if version == 2 {
                try Self.write(limit ?? "max", to: "\(memoryDirectory)/memory.max")
                try? Self.write(limit == nil ? "max" : "0", to: "\(memoryDirectory)/memory.swap.max")
            } else {
                // memory.memsw.limit_in_bytes may never be below memory.limit_in_bytes: lift it first.
                try? Self.write("-1", to: "\(memoryDirectory)/memory.memsw.limit_in_bytes")
                try Self.write(limit ?? "-1", to: "\(memoryDirectory)/memory.limit_in_bytes")
                if let limit { try? Self.write(limit, to: "\(memoryDirectory)/memory.memsw.limit_in_bytes") }
            }
        }
        if let pidsDirectory {
            let limit = maxProcesses.map { "\(usage.processes + $0)" } ?? "max"
            try Self.write(limit, to: "\(pidsDirectory)/pids.max")
        }
        return usage
    }

    /// The events of a run that started at `start`.
    func events(since start: Usage) -> Events {
        let now = usage()
        return Events(
            outOfMemory: now.outOfMemoryKills > start.outOfMemoryKills,
            processLimitHit: now.processLimitHits > start.processLimitHits)
    }

    /// Kills every process in the cgroup but those in `keeping`, and waits until they are gone; `false` when some
    /// are still there after a second.
    func killAll(except keeping: Set<pid_t>) -> Bool {
        for _ in 0..<500 {
            let others = directories.flatMap(Self.processes(in:)).filter { !keeping.contains($0) }
            if others.isEmpty { return true }
            for pid in others { kill(pid, SIGKILL) }
            usleep(2_000)
        }
        return false
    }

    /// The number a single-value file such as `pids.current` holds.
    static func number(in file: String) -> Int? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
