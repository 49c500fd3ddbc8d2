import AutoCoder
import Foundation

/// The package directories of one executor, one per task, kept (with their `.build`) from one iteration to the
/// next so a rebuild is incremental. A task never gets another task's directory; two runs of the same task at
/// once get two directories.
actor SwiftWorkspaces {
    private var idle: [Int: [Workspace]] = [:]
    private var all: [Workspace] = []

    /// A directory for `task`: one it had before if free, else a new one.
    func acquire(for task: CodingTask, sandbox: Sandbox) throws -> Workspace {
        let key = Self.key(task)
        if var free = idle[key], let workspace = free.popLast() {
            idle[key] = free
            return workspace
        }
        let workspace = try Workspace.create(sandbox: sandbox)
        all.append(workspace)
        return workspace
    }

    /// Gives `workspace` back for the task's next iteration.
    func release(_ workspace: Workspace, for task: CodingTask) {
        idle[Self.key(task), default: []].append(workspace)
    }

    /// How many directories this executor has made.
    var count: Int { all.count }

    /// Deletes every directory (their builds included).
    func removeAll() {
        for workspace in all { workspace.remove() }
        all.removeAll()
        idle.removeAll()
    }

    deinit {
        for workspace in all { workspace.remove() }
    }

    private static func key(_ task: CodingTask) -> Int {
        var hasher = Hasher()
        hasher.combine(task.solutionPath)
        hasher.combine(task.tests)
        return hasher.finalize()
    }
}

extension Workspace {
    /// Makes the working directory hold exactly `files` under `roots` (writing only what changed, so the build
    /// stays incremental) and removes any other file under those roots. Paths outside `roots` are left alone.
    ///
    /// The code under test could write the working directory in the run before: a symbolic link it left under
    /// `roots` (or as a root) is removed, never followed, so autocoder's own writes and removals stay inside.
    func synchronize(_ files: [CodeFile], roots: [String]) throws {
        let wanted = Dictionary(files.map { ($0.path, $0.bytes) }, uniquingKeysWith: { _, last in last })
        for root in roots {
            let base = directory.appendingPathComponent(root)
            if Self.isSymbolicLink(base.path) {
                try? FileManager.default.removeItem(atPath: base.path)
                continue
            }
            guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else {
                continue
            }
            for case let url as URL in enumerator {
                if Self.isSymbolicLink(url.path) {
                    enumerator.skipDescendants()
                    try? FileManager.default.removeItem(atPath: url.path)
                    continue
                }
                let relative = String(url.path.dropFirst(directory.path.count + 1))
                var isDirectory: ObjCBool = false
                FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
                if !isDirectory.boolValue, wanted[relative] == nil { try? FileManager.default.removeItem(at: url) }
            }
        }
        let changed = files.filter {
            FileManager.default.contents(atPath: directory.appendingPathComponent($0.path).path)
                != $0.bytes
        }
        try write(changed)
    }

    static func isSymbolicLink(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK
    }
}
