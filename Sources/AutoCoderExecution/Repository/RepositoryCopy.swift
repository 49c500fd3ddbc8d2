import AutoCoder
import Foundation

/// A repository's files as the test command sees them: copied into a workspace (never the user's tree), owned by
/// the sandbox's user so that the command may write where it runs.
enum RepositoryCopy {
    /// What is not copied: version control and caches that the test command rebuilds.
    static let skipped: Set<String> = [".git", ".hg", ".svn", "__pycache__", ".pytest_cache", ".mypy_cache", ".build"]

    /// Copies the regular files and directories under `source` into `destination` (symbolic links that stay
    /// inside are copied as links; others are left out), handing each to `user` when given.
    static func copy(from source: URL, to destination: URL, user: SandboxUser?) throws {
        let root = source.resolvingSymlinksInPath().standardizedFileURL.path
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(atPath: root) else {
            throw WorkspaceError("could not list \(root)")
        }
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if skipped.contains(name) {
                enumerator.skipDescendants()
                continue
            }
            let from = root + "/" + relative
            let to = destination.path + "/" + relative
            var status = stat()
            guard lstat(from, &status) == 0 else { continue }
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                try manager.createDirectory(atPath: to, withIntermediateDirectories: true)
            case S_IFREG:
                try manager.copyItem(atPath: from, toPath: to)
            case S_IFLNK:
                guard let target = try? manager.destinationOfSymbolicLink(atPath: from),
                    URL(fileURLWithPath: target, relativeTo: URL(fileURLWithPath: from).deletingLastPathComponent())
                        .standardizedFileURL.path.hasPrefix(root + "/")
                else { continue }
                try manager.createSymbolicLink(atPath: to, withDestinationPath: target)
            default:
                continue
            }
            if let user { lchown(to, user.uid, user.gid) }
        }
    }
}
