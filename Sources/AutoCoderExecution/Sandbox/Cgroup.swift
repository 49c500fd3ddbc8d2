import Foundation

/// A cgroup made for one run, holding its memory and process limits (cgroup v1 or v2, detected at run time).
///
/// It is created beside autocoder's own cgroup (never above it, never changing it), joined by the run's first
/// process before it starts the code, read after the run for out-of-memory and process-limit events, emptied with
/// SIGKILL, and removed.
struct Cgroup: Sendable {
    /// The directories of the run's cgroup: one for v2, one per controller for v1.
    let directories: [String]
    let memoryDirectory: String?
    let pidsDirectory: String?
    let version: Int

    /// Events seen during the run.
    struct Events: Hashable, Sendable {
        var outOfMemory: Bool
        var processLimitHit: Bool
    }

    /// Creates a cgroup for a run with the given limits.
    /// - Throws: ``CgroupError`` when the hierarchy is missing or not writable.
    static func create(memoryBytes: Int?, maxProcesses: Int?, layout: CgroupLayout) throws -> Cgroup {
        let name = "\(namePrefix)\(getpid())-\(UUID().uuidString.lowercased())"
        switch layout {
        case .v2(let parent):
            let directory = "\(parent)/\(name)"
            try makeDirectory(directory)
            let cgroup = Cgroup(
                directories: [directory], memoryDirectory: directory, pidsDirectory: directory, version: 2)
            do {
                if let memoryBytes {
                    try write("\(memoryBytes)", to: "\(directory)/memory.max")
                    try? write("0", to: "\(directory)/memory.swap.max")
                }
                if let maxProcesses { try write("\(maxProcesses)", to: "\(directory)/pids.max") }
            } catch {
                cgroup.remove()
                throw error
            }
            return cgroup
        case .v1(let memoryParent, let pidsParent):
            let memory = memoryParent.map { "\($0)/\(name)" }
            let pids = pidsParent.map { "\($0)/\(name)" }
            var made: [String] = []
            do {
                if let memory {
                    try makeDirectory(memory)
                    made.append(memory)
                    if let memoryBytes {
                        try write("\(memoryBytes)", to: "\(memory)/memory.limit_in_bytes")
                        try? write("\(memoryBytes)", to: "\(memory)/memory.memsw.limit_in_bytes")
                    }
                }
                if let pids {
                    try makeDirectory(pids)
                    made.append(pids)
                    if let maxProcesses { try write("\(maxProcesses)", to: "\(pids)/pids.max") }
                }
            } catch {
                Cgroup(directories: made, memoryDirectory: nil, pidsDirectory: nil, version: 1).remove()
                throw error
            }
            return Cgroup(directories: made, memoryDirectory: memory, pidsDirectory: pids, version: 1)
        }
    }

    /// The start of the name of every cgroup autocoder makes; the creating process's ID follows it.
    static let namePrefix = "autocoder-p"

    /// Removes the empty cgroups that autocoder processes which are gone left behind (killed before they could
    /// remove them); a cgroup that still holds a process stays. Names without the creator's ID, from earlier
    /// versions, go once they are ten minutes old.
    static func sweep(_ layout: CgroupLayout) {
        let parents: [String]
        switch layout {
        case .v2(let parent): parents = [parent]
        case .v1(let memory, let pids): parents = [memory, pids].compactMap { $0 }
        }
        for parent in parents {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
            for name in names where name.hasPrefix("autocoder-") {
                let path = "\(parent)/\(name)"
                if name.hasPrefix(namePrefix) {
                    let owner = name.dropFirst(namePrefix.count).prefix { $0.isNumber }
                    guard let pid = pid_t(owner), kill(pid, 0) != 0, errno == ESRCH else { continue }
                } else {
                    var info = stat()
                    guard stat(path, &info) == 0, time(nil) - info.st_ctim.tv_sec > 600 else { continue }
                }
                rmdir(path)
            }
        }
    }

    /// A shell snippet that moves the shell itself into this cgroup; `exec` the real command after it.
    var joinScript: String {
        directories.map { "echo $$ > '\($0)/cgroup.procs'" }.joined(separator: " && ")
    }

    /// Out-of-memory kills and refused forks during the run.
    func events() -> Events {
        var events = Events(outOfMemory: false, processLimitHit: false)
        if let memoryDirectory {
            let file = version == 2 ? "memory.events" : "memory.oom_control"
            events.outOfMemory = (Self.counter("oom_kill", in: "\(memoryDirectory)/\(file)") ?? 0) > 0
        }
        if let pidsDirectory {
            events.processLimitHit = (Self.counter("max", in: "\(pidsDirectory)/pids.events") ?? 0) > 0
        }
        return events
    }

    /// Kills every process in the cgroup until none is left, then removes it.
    func killAllAndRemove() {
        for directory in directories {
            if version == 2, (try? Self.write("1", to: "\(directory)/cgroup.kill")) != nil { continue }
            for _ in 0..<100 {
                let pids = Self.processes(in: directory)
                if pids.isEmpty { break }
                for pid in pids { kill(pid, SIGKILL) }
                usleep(2_000)
            }
        }
        remove()
    }

    /// Removes the cgroup's directories, waiting briefly for killed processes to be reaped.
    func remove() {
        for directory in directories {
            for _ in 0..<250 {
                if rmdir(directory) == 0 || errno == ENOENT { break }
                usleep(2_000)
            }
        }
    }

    static func processes(in directory: String) -> [pid_t] {
        guard let text = try? String(contentsOfFile: "\(directory)/cgroup.procs", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { pid_t($0) }
    }

    /// The number after `key` in a flat keyed file such as `memory.events` (`oom_kill 1`).
    static func counter(_ key: String, in file: String) -> Int? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == key { return Int(parts[1]) }
        }
        return nil
    }

    static func makeDirectory(_ path: String) throws {
        guard mkdir(path, 0o755) == 0 else {
            throw CgroupError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
    }

    static func write(_ value: String, to path: String) throws {
        guard let handle = FileHandle(forWritingAtPath: path) else { throw CgroupError("cannot open \(path)") }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data(value.utf8))
        } catch {
            throw CgroupError("cannot write \(value) to \(path): \(error.localizedDescription)")
        }
    }
}

/// Where run cgroups can be made on this machine.
enum CgroupLayout: Hashable, Sendable {
    /// cgroup v2: the directory of autocoder's own cgroup (run cgroups are made inside it).
    case v2(parent: String)
    /// cgroup v1: the memory and pids directories of autocoder's own cgroups, when those controllers are mounted.
    case v1(memory: String?, pids: String?)

    /// Finds the layout from `/proc/self/cgroup` and the mounted hierarchies, or says why there is none.
    static func detect() -> Result<CgroupLayout, CgroupError> {
        guard let membership = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8) else {
            return .failure(CgroupError("no /proc/self/cgroup (not Linux)"))
        }
        var v1Paths: [String: String] = [:]
        var v2Path: String?
        for line in membership.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            if parts[0] == "0" && parts[1].isEmpty {
                v2Path = String(parts[2])
            } else {
                for controller in parts[1].split(separator: ",") { v1Paths[String(controller)] = String(parts[2]) }
            }
        }
        let root = "/sys/fs/cgroup"
        if let controllers = try? String(contentsOfFile: "\(root)/cgroup.controllers", encoding: .utf8),
            controllers.contains("memory") || controllers.contains("pids"), let v2Path
        {
            return .success(.v2(parent: root + (v2Path == "/" ? "" : v2Path)))
        }
        func v1Directory(_ controller: String) -> String? {
            guard let path = v1Paths[controller] else { return nil }
            let directory = "\(root)/\(controller)" + (path == "/" ? "" : path)
            return FileManager.default.fileExists(atPath: "\(directory)/cgroup.procs") ? directory : nil
        }
        let memory = v1Directory("memory")
        let pids = v1Directory("pids")
        if memory == nil && pids == nil {
            return .failure(CgroupError("no memory or pids controller is mounted under \(root)"))
        }
        return .success(.v1(memory: memory, pids: pids))
    }
}

/// A cgroup could not be used.
struct CgroupError: Error, Hashable, Sendable, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
