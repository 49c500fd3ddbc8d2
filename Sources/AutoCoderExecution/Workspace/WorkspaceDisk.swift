import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A workspace's own filesystem: a tmpfs of a fixed size mounted on the workspace's root (where autocoder runs
/// as root), so that code that writes without end stops at the disk limit (`ENOSPC`) and the host's disk never
/// fills. Its files live in memory: what the code writes there counts toward the run's memory limit too.
///
/// A mount outlives a process that is killed with SIGKILL; the next workspace made on this machine unmounts those
/// whose owner (named in ``ownerFile``) is gone.
public struct WorkspaceDisk: Hashable, Sendable {
    /// Where the filesystem is mounted (the workspace's root).
    public let path: String
    /// Its size.
    public let bytes: Int

    /// The file in the root that names the process that mounted it.
    static let ownerFile = ".autocoder-owner"

    /// Mounts a tmpfs of `bytes` at `path`; `nil` where this process may not mount (not root) or the mount fails,
    /// and then the workspace stays on the host's disk.
    static func mount(at path: String, bytes: Int) -> WorkspaceDisk? {
        #if os(Linux)
            guard geteuid() == 0 else { return nil }
            sweepOnce()
            let options = "size=\(bytes),mode=0700"
            guard Glibc.mount("tmpfs", path, "tmpfs", UInt(MS_NOSUID | MS_NODEV), options) == 0 else { return nil }
            let owner = ProcessIdentity.current
            try? "\(owner.pid ?? 0) \(owner.start ?? "")\n".write(
                toFile: path + "/" + ownerFile, atomically: false, encoding: .utf8)
            return WorkspaceDisk(path: path, bytes: bytes)
        #else
            return nil
        #endif
    }

    /// Unmounts the filesystem (what is in it goes with it).
    func unmount() {
        #if os(Linux)
            umount2(path, Int32(MNT_DETACH))
        #endif
    }

    /// What the filesystem says of itself now: bytes in use, and whether the code filled it (less than a megabyte
    /// left).
    public func usage() -> (usedBytes: Int, isFull: Bool) {
        var status = statvfs()
        guard statvfs(path, &status) == 0 else { return (0, false) }
        let block = Int(status.f_frsize)
        return (Int(status.f_blocks - status.f_bfree) * block, Int(status.f_bavail) * block < 1 << 20)
    }

    /// A sentence for the model or a person about a filled disk.
    var limitMessage: String {
        "The code filled the disk limit of \(bytes / 1_048_576) MB (--disk): writes past it failed with "
            + "'No space left on device', and the run counts as crashed. Write less, or clean up what it writes."
    }

    /// ``limitMessage`` when the code filled the disk, else `nil`.
    public var fullMessage: String? { usage().isFull ? limitMessage : nil }

    private static let swept = Mutex(false)

    /// ``sweep()``, once per process.
    private static func sweepOnce() {
        guard
            swept.withLock({ done in
                defer { done = true }; return !done
            })
        else { return }
        sweep()
    }

    /// Unmounts and removes the workspaces of processes that died without removing theirs.
    static func sweep() {
        guard let mounts = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return }
        let base = FileManager.default.temporaryDirectory.path + "/autocoder-"
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 4, fields[4].hasPrefix(base), line.contains(" - tmpfs ") else { continue }
            let point = String(fields[4])
            guard let owner = try? String(contentsOfFile: point + "/" + ownerFile, encoding: .utf8) else { continue }
            let parts = owner.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
            guard parts.count == 2, let pid = Int32(parts[0]) else { continue }
            if ProcessIdentity(pid: pid, start: parts[1]).isAlive { continue }
            umount2(point, Int32(MNT_DETACH))
            try? FileManager.default.removeItem(atPath: point)
        }
    }
}
