import AutoCoder
import Foundation

/// A bind mount of a directory on which the files of one owner appear as the sandbox user's (an idmapped mount,
/// `mount_setattr(MOUNT_ATTR_IDMAP)`): the overlay's lower layer, so that a repository's tests may write, truncate,
/// rename, `utime` and `chmod` its files as its owner could, each change landing in the upper layer
/// (docs/decisions.md, "Repository mode"). Files of other owners keep no owner there, and cannot be changed.
enum IdmappedMount {
    /// Mounts `source` at `target` (an empty directory) with `owner`'s files shown as `user`'s; false where the
    /// kernel or this process cannot (not root, a kernel before 5.19).
    static func bind(_ source: String, at target: String, owner: SandboxUser, as user: SandboxUser) async -> Bool {
        guard let namespace = await UserNamespaces.shared.descriptor(mapping: owner, to: user) else { return false }
        let tree = source.withCString {
            systemCall(openTreeNumber, Int(AT_FDCWD), Int(bitPattern: $0), Int(openTreeClone | O_CLOEXEC))
        }
        guard tree >= 0 else { return false }
        defer { close(Int32(tree)) }
        var attributes = MountAttributes(
            set: mountAttributeIdmap, clear: 0, propagation: 0, namespace: UInt64(namespace))
        let set = "".withCString { empty in
            withUnsafePointer(to: &attributes) {
                systemCall(
                    mountSetattrNumber, tree, Int(bitPattern: empty), Int(atEmptyPath),
                    Int(bitPattern: UnsafeRawPointer($0)), MemoryLayout<MountAttributes>.size)
            }
        }
        guard set == 0 else { return false }
        let moved = "".withCString { empty in
            target.withCString {
                systemCall(
                    moveMountNumber, tree, Int(bitPattern: empty), Int(AT_FDCWD), Int(bitPattern: $0),
                    Int(moveMountEmptyPath))
            }
        }
        return moved == 0
    }

    private struct MountAttributes {
        var set: UInt64
        var clear: UInt64
        var propagation: UInt64
        var namespace: UInt64
    }

    private static let openTreeNumber = 428
    private static let moveMountNumber = 429
    private static let mountSetattrNumber = 442
    private static let openTreeClone: Int32 = 1
    private static let atEmptyPath: Int32 = 0x1000
    private static let moveMountEmptyPath: Int32 = 0x4
    private static let mountAttributeIdmap: UInt64 = 0x0010_0000
}

/// User namespaces that map one user to another, made once per pair and kept open (a namespace lives as long as a
/// descriptor of it): what an idmapped mount is made from. Each is made by a child (`unshare --user sleep`) whose
/// maps this process, as root, writes.
actor UserNamespaces {
    static let shared = UserNamespaces()
    private var made: [SandboxUser: [SandboxUser: Int32]] = [:]

    /// A descriptor of a user namespace in which `owner`'s ids are `user`'s, or `nil`.
    func descriptor(mapping owner: SandboxUser, to user: SandboxUser) async -> Int32? {
        if let known = made[owner]?[user] { return known }
        guard geteuid() == 0, let made = await make(owner: owner, user: user) else { return nil }
        self.made[owner, default: [:]][user] = made
        return made
    }

    private func make(owner: SandboxUser, user: SandboxUser) async -> Int32? {
        guard let unshare = ExecutableSearch.locate("unshare", path: "/usr/bin:/bin"),
            let child = try? await BackgroundProcess.start(
                .init(executable: unshare, arguments: ["--user", "--", "/bin/sleep", "30"], environment: [:]))
        else { return nil }
        defer { child.stop(grace: .zero) }
        let process = "/proc/\(child.processIdentifier)"
        let ours = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/user")
        // The child enters its namespace as it starts; wait until it has (a few milliseconds).
        for _ in 0..<200 {
            let theirs = try? FileManager.default.destinationOfSymbolicLink(atPath: process + "/ns/user")
            if let theirs, theirs != ours { break }
            try? await Task.sleep(for: .milliseconds(5))
        }
        guard
            (try? "\(owner.uid) \(user.uid) 1\n".write(toFile: process + "/uid_map", atomically: false, encoding: .utf8))
                != nil,
            (try? "\(owner.gid) \(user.gid) 1\n".write(toFile: process + "/gid_map", atomically: false, encoding: .utf8))
                != nil
        else { return nil }
        let descriptor = open(process + "/ns/user", O_RDONLY | O_CLOEXEC)
        return descriptor >= 0 ? descriptor : nil
    }
}
