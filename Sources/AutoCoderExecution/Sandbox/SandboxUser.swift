import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The user that code under test runs as when autocoder runs as root: `nobody` (65534:65534), with no
/// supplementary groups, no capabilities and no way to gain privileges. Nothing private to root is readable to it
/// (`/etc/shadow` gives "permission denied"), and nothing root owns is writable: the files autocoder writes into
/// the workspace (the tests among them) stay root's, read-only to the code, while the run's writable directories
/// (working directory, report directory, home) are handed to this user so that the code can create files there.
///
/// When autocoder runs as another user, the code runs as that user: it is already unprivileged, and the
/// ``FilesystemView`` keeps that user's files out of sight.
public struct SandboxUser: Hashable, Sendable {
    public var uid: UInt32
    public var gid: UInt32

    public init(uid: UInt32, gid: UInt32) {
        self.uid = uid
        self.gid = gid
    }

    /// `nobody:nogroup`.
    public static let nobody = SandboxUser(uid: 65534, gid: 65534)

    /// The user whose test process computes a bridged run's verdict (65533, a user of its own), so that the code's
    /// user can neither signal it nor read its memory.
    public static let verdict = SandboxUser(uid: 65533, gid: 65533)

    /// The user sandboxed code runs as on this host: ``nobody`` when autocoder is root, else `nil` (the code keeps
    /// autocoder's own user).
    public static var unprivileged: SandboxUser? { geteuid() == 0 ? .nobody : nil }

    /// `setpriv`'s arguments that become this user before running the command.
    var setprivArguments: [String] {
        ["--reuid", String(uid), "--regid", String(gid), "--clear-groups", "--no-new-privs", "--inh-caps=-all"]
    }

    /// Gives one file to this user (the integrity control file, which the test process reads and deletes).
    func handOver(file path: String) {
        lchown(path, uid, gid)
    }
}
