import Foundation

/// What code in the sandbox sees of the filesystem: the system's directories read-only (`/usr`, `/etc` without
/// its secret directories, the `/bin` and `/lib` links), the toolchain's own directories read-only at their paths,
/// the run's directories writable, and a private `/tmp`. Nothing else of the host is there: not `/root`, `/home`,
/// `/var`, `/opt`, `AUTOCODER_HOME` or the user's checkout, unless one of them is the toolchain's or the run's.
///
/// The view is a list of ``Entry`` values, in the order they are made; bubblewrap (``bubblewrapArguments``) and
/// the warm pytest worker (``workerEntries``) each make the same list, so a cold and a warm run see the same tree.
/// `/dev` (the harmless devices only) and `/proc` (the run's own) are made by each of them as before.
public struct FilesystemView: Hashable, Sendable {
    /// One step in making the view.
    public enum Entry: Hashable, Sendable {
        /// An empty directory (mode 755), made so that a bound path below it can be reached.
        case directory(String)
        /// A symbolic link at the first path, to the second, as on the host (`/bin` → `usr/bin`).
        case symlink(String, target: String)
        /// The host's file or directory at the same path, read-only.
        case readOnly(String)
        /// The host's directory at the same path, writable.
        case writable(String)
        /// The host's directory (the second path) bound writable at the first: a repository's view of its tree at
        /// the tree's own path, so that shebangs, `pyvenv.cfg` and absolute paths in its configs resolve.
        case relocated(String, from: String)
        /// An empty directory over one of the host's (a secret directory inside a bound one).
        case hidden(String)
        /// A new, empty, world-writable (sticky) temporary filesystem of at most this many bytes.
        case temporary(String, sizeBytes: Int)
    }

    /// What an entry puts where, in words (for `doctor`).
    public struct Line: Codable, Hashable, Sendable {
        public var path: String
        public var access: String
    }

    /// The view, one path a line, in the order it is made.
    public var lines: [Line] {
        [
            Line(path: "/dev", access: "null, zero, full, random, urandom, tty, a private shm and pts"),
            Line(path: "/proc", access: "the run's own processes only"),
        ]
            + entries().compactMap { entry in
                switch entry {
                case .directory: nil
                case .symlink(let path, let target): Line(path: path, access: "link to \(target)")
                case .readOnly(let path): Line(path: path, access: "read-only")
                case .writable(let path): Line(path: path, access: "writable")
                case .relocated(let path, _): Line(path: path, access: "writable (the repository's view)")
                case .hidden(let path): Line(path: path, access: "hidden (empty)")
                case .temporary(let path, let size): Line(path: path, access: "private, \(size / 1_048_576) MB")
                }
            }
    }

    /// The host's system directories the view binds read-only, where they exist (symbolic links stay links).
    public static let systemPaths = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc"]
    /// Directories under the system ones that hold secrets: hidden behind an empty directory.
    public static let secretDirectories = ["/etc/ssh", "/etc/sudoers.d", "/etc/ssl/private"]

    /// Directories or files bound read-only at their own paths: the interpreter's prefix, the toolchain.
    public var readOnly: [String]
    /// Directories bound writable: the run's workspace.
    public var writable: [String]
    /// Directories bound writable at another path, by that path (a repository's view at the tree's own path).
    public var relocated: [String: String]
    /// The size of the private `/tmp` and `/dev/shm`.
    public var temporaryBytes: Int

    public init(
        readOnly: [String] = [], writable: [String] = [], relocated: [String: String] = [:],
        temporaryBytes: Int = 1 << 30
    ) {
        self.readOnly = readOnly
        self.writable = writable
        self.relocated = relocated
        self.temporaryBytes = temporaryBytes
    }

    /// The steps that make the view, in order: the system directories, the secret ones hidden, `/tmp`, then the
    /// read-only and writable paths, outer ones first (each after the empty directories that lead to it).
    public func entries() -> [Entry] {
        var entries: [Entry] = []
        // What exists in the view so far: made paths, and bound trees (everything inside them exists).
        var made: Set<String> = ["/"]
        var bound: [String] = []
        for path in Self.systemPaths {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                entries.append(.symlink(path, target: target))
            } else if FileManager.default.fileExists(atPath: path) {
                entries.append(.readOnly(path))
                bound.append(path)
            } else {
                continue
            }
            made.insert(path)
        }
        for path in Self.secretDirectories where Self.isDirectory(path) {
            entries.append(.hidden(path))
        }
        entries.append(.temporary("/tmp", sizeBytes: temporaryBytes))
        made.insert("/tmp")
        // Outer paths first, so that a read-only path inside a writable one (a build inside the workspace) stays
        // read-only; a path given both ways is read-only.
        let readOnly = Set(Self.standard(self.readOnly.filter { !Self.isSystemPath($0) }))
        let writable = Set(Self.standard(self.writable)).subtracting(readOnly)
        for path in readOnly.union(writable).sorted() {
            entries += Self.leadingDirectories(to: path, made: &made, bound: bound)
            entries.append(readOnly.contains(path) ? .readOnly(path) : .writable(path))
            bound.append(path)
        }
        // Last, over whatever lies at those paths (the user's tree itself is never bound).
        for (path, source) in relocated.sorted(by: { $0.key < $1.key }) {
            let path = URL(fileURLWithPath: path).standardizedFileURL.path
            guard path != "/", path.hasPrefix("/") else { continue }
            entries += Self.leadingDirectories(to: path, made: &made, bound: bound)
            entries.append(.relocated(path, from: source))
            bound.append(path)
        }
        return entries
    }

    /// bubblewrap's arguments that make the view (before the namespace options), with its `/dev` and `/proc`
    /// and a private `/dev/shm`.
    public func bubblewrapArguments() -> [String] {
        var arguments = ["--dev", "/dev", "--proc", "/proc"]
        for entry in entries() {
            switch entry {
            case .directory(let path): arguments += ["--perms", "0755", "--dir", path]
            case .symlink(let path, let target): arguments += ["--symlink", target, path]
            case .readOnly(let path): arguments += ["--ro-bind", path, path]
            case .writable(let path): arguments += ["--bind", path, path]
            case .relocated(let path, let source): arguments += ["--bind", source, path]
            case .hidden(let path): arguments += ["--perms", "0755", "--tmpfs", path]
            case .temporary(let path, let size):
                arguments += ["--perms", "1777", "--size", String(size), "--tmpfs", path]
            }
        }
        return arguments + ["--perms", "1777", "--size", String(min(temporaryBytes, 64 << 20)), "--tmpfs", "/dev/shm"]
    }

    /// The directories the code may write in once the view is made: the writable ones, the private `/tmp` and
    /// `/dev/shm` (what Landlock allows; the worker reads the same from its view).
    public var writableDirectories: [String] {
        Self.standard(writable + relocated.keys.sorted()) + ["/tmp", "/dev/shm"]
    }

    /// The same steps for the warm worker's request.
    func workerEntries() -> [PytestWorkerProtocol.ViewEntry] {
        entries().map { entry in
            switch entry {
            case .directory(let path): .init(kind: "directory", path: path)
            case .symlink(let path, let target): .init(kind: "symlink", path: path, target: target)
            case .readOnly(let path): .init(kind: "read_only", path: path)
            case .writable(let path): .init(kind: "writable", path: path)
            case .relocated(let path, let source): .init(kind: "relocated", path: path, target: source)
            case .hidden(let path): .init(kind: "hidden", path: path)
            case .temporary(let path, let size): .init(kind: "temporary", path: path, size: size)
            }
        }
    }

    /// One line for `doctor`: what the code sees.
    public var summary: String {
        let system = Self.systemPaths.filter { FileManager.default.fileExists(atPath: $0) && !$0.hasPrefix("/lib") }
        return "only \(system.joined(separator: ", ")) (without \(Self.secretDirectories.joined(separator: ", "))), "
            + "the interpreter's or toolchain's directory and the run's directory; a private /tmp; "
            + "/root, /home, /var, /opt and the rest of the host are absent"
    }

    /// Whether `path` is one of the system directories or lies inside one (so the view shows it already).
    static func isSystemPath(_ path: String) -> Bool {
        systemPaths.contains { path == $0 || path.hasPrefix($0 + "/") }
    }

    /// `paths` made absolute and standard, without `/` (the whole host is never bound).
    static func standard(_ paths: [String]) -> [String] {
        paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path }.filter { $0 != "/" && $0.hasPrefix("/") }
    }

    /// The empty directories to make, outermost first, so that `path` can be bound: its ancestors that are neither
    /// made yet nor inside a bound tree.
    private static func leadingDirectories(to path: String, made: inout Set<String>, bound: [String]) -> [Entry] {
        var ancestors: [String] = []
        var current = (path as NSString).deletingLastPathComponent
        while current != "/", !current.isEmpty, !made.contains(current),
            !bound.contains(where: { current == $0 || current.hasPrefix($0 + "/") })
        {
            ancestors.append(current)
            current = (current as NSString).deletingLastPathComponent
        }
        for ancestor in ancestors { made.insert(ancestor) }
        return ancestors.reversed().map { .directory($0) }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
