import AutoCoder
import Foundation

/// A repository seen through an overlay (where autocoder runs as root): the user's tree is the read-only lower
/// layer, and what a run writes goes to an upper layer in its workspace, gone with it. Laying it out costs a
/// directory per directory of the repository (so the sandbox's user may write in them), not a copy per file; and
/// what the run changed is exactly what the upper layer holds.
struct RepositoryOverlay {
    let merged: String
    let upper: String
    /// The idmapped view of the tree that is the lower layer (``IdmappedMount``), when one could be made.
    var lower: String?

    /// Directory names hidden from the view (as in ``RepositoryCopy/skipped``): empty and writable there. A
    /// package's `.build` is not among them: SwiftPM finds its dependencies' checkouts and its earlier build there,
    /// as cargo does in `target/` (the user's stay as they are; what a run builds lands in its upper layer).
    static let hidden: Set<String> = RepositoryCopy.skipped.subtracting([".build"])

    /// Mounts `root` under `workspace.directory`, or `nil` where overlays cannot be made here (not root, no
    /// workspace filesystem of its own, a path the mount options cannot carry); the caller then copies. The lower
    /// layer is the tree seen through an idmapped mount on which its owner's files are `user`'s, so the tests may
    /// change them as the owner could (in the upper layer); where that mount cannot be made, the tree itself.
    static func mount(_ root: String, into workspace: Workspace, user: SandboxUser?) async -> RepositoryOverlay? {
        guard geteuid() == 0, workspace.disk != nil, !root.contains(","), !root.contains(":") else { return nil }
        let upper = workspace.root.appendingPathComponent("upper").path
        let work = workspace.root.appendingPathComponent("overlay-work").path
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: upper, withIntermediateDirectories: false)
            try manager.createDirectory(atPath: work, withIntermediateDirectories: false)
            try mirrorDirectories(of: root, into: upper, user: user)
        } catch {
            return nil
        }
        var lower: String?
        var owner = stat()
        if let user, stat(root, &owner) == 0, owner.st_uid != user.uid {
            // Behind a directory only root may enter: on this mount the sandbox's user owns the user's real files, so
            // it must be reachable through the overlay alone (which copies up before any change), never directly.
            let guarded = workspace.root.appendingPathComponent("lower-guard").path
            let mapped = guarded + "/lower"
            if mkdir(guarded, 0o700) == 0, chmod(guarded, 0o700) == 0, mkdir(mapped, 0o755) == 0,
                await IdmappedMount.bind(
                    root, at: mapped, owner: SandboxUser(uid: owner.st_uid, gid: owner.st_gid), as: user)
            {
                lower = mapped
            }
        }
        let options = "lowerdir=\(lower ?? root),upperdir=\(upper),workdir=\(work)"
        guard Glibc.mount("overlay", workspace.directory.path, "overlay", UInt(MS_NOSUID | MS_NODEV), options) == 0
        else {
            if let lower { umount2(lower, Int32(MNT_DETACH)) }
            return nil
        }
        return RepositoryOverlay(merged: workspace.directory.path, upper: upper, lower: lower)
    }

    /// Every directory of `root` made in `upper`, owned by `user` (so the merged directories are theirs to write
    /// in); the hidden ones opaque, so that their contents in `root` do not show. Directories are found with
    /// readdir's entry types: Foundation's enumerator stats every file (half a second for 10,000 files here).
    private static func mirrorDirectories(of root: String, into upper: String, user: SandboxUser?) throws {
        func own(_ path: String) {
            if let user { chown(path, user.uid, user.gid) }
            chmod(path, 0o775)
        }
        own(upper)
        var pending = [""]
        while let relative = pending.popLast() {
            guard let directory = opendir(relative.isEmpty ? root : root + "/" + relative) else { continue }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                guard entry.pointee.d_type == UInt8(DT_DIR) else { continue }
                let name = withUnsafeBytes(of: entry.pointee.d_name) {
                    String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                let child = relative.isEmpty ? name : relative + "/" + name
                let path = upper + "/" + child
                guard mkdir(path, 0o775) == 0 else {
                    throw WorkspaceError("could not make \(child): \(String(cString: strerror(errno)))")
                }
                own(path)
                if hidden.contains(name) {
                    guard setExtendedAttribute(path, "trusted.overlay.opaque", "y", 1, 0) == 0 else {
                        throw WorkspaceError("could not hide \(child): \(String(cString: strerror(errno)))")
                    }
                } else {
                    pending.append(child)
                }
            }
        }
    }

    /// The files (and deletions) the run left in the upper layer, by path relative to the repository.
    func changes() -> [String] {
        var found: [String] = []
        guard let enumerator = FileManager.default.enumerator(atPath: upper) else { return found }
        while let relative = enumerator.nextObject() as? String {
            if enumerator.fileAttributes?[.type] as? FileAttributeType != .typeDirectory { found.append(relative) }
        }
        return found
    }

    func unmount() {
        umount2(merged, Int32(MNT_DETACH))
        if let lower { umount2(lower, Int32(MNT_DETACH)) }
    }
}

/// `setxattr(2)`, which Glibc's module does not export.
@_silgen_name("setxattr")
private func setExtendedAttribute(
    _ path: UnsafePointer<CChar>, _ name: UnsafePointer<CChar>, _ value: UnsafeRawPointer, _ size: Int, _ flags: Int32
) -> Int32
