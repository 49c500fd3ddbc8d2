import AutoCoder
import AutoCoderProcess
import Foundation
import GRDB

/// The SQLite store of every run: its task and settings, each generator call, each step and each test result,
/// down to single tests.
///
/// It lives at `$AUTOCODER_HOME/runs.sqlite` by default, in WAL mode with a busy timeout, so several autocoder
/// processes can write at once. Each event is written in its own transaction as it happens, so a run killed mid-way
/// leaves a consistent database; the next open marks it `interrupted`. A file that is not a store is never touched.
public struct RunStore: Sendable {
    /// Where the store is.
    public let path: String
    let pool: DatabasePool

    /// The `PRAGMA application_id` that marks a SQLite file as an autocoder run store ("ACDR").
    static let applicationID: Int32 = 0x4143_4452

    /// The store's default path: `$AUTOCODER_HOME/runs.sqlite`, else `~/.autocoder/runs.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let home =
            environment["AUTOCODER_HOME"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".autocoder").path
        return URL(fileURLWithPath: home).appendingPathComponent("runs.sqlite").path
    }

    /// Opens (creating if needed) the store at `path`, brings its schema up to date, and marks runs whose process
    /// has died as `interrupted`.
    /// - Throws: ``RunStoreError`` for a file that is not a SQLite database or belongs to something else (it is
    ///   left untouched), or when the store cannot be created.
    public init(path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw RunStoreError(
                .unreadable, "\(path) is a directory; --store takes the store's file (for example \(path)/runs.sqlite)."
            )
        }
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw RunStoreError(
                .failed, "Cannot create the folder of the run store \(path): \(error.localizedDescription)")
        }
        // Opening, migrating and the interrupted sweep happen one process at a time: two processes creating a new
        // store at once would otherwise both run the first migration (and one could see the other's half-made
        // store as foreign).
        let lockPath = path + ".lock"
        let lockExisted = FileManager.default.fileExists(atPath: lockPath)
        let lock = try FileLock(path: lockPath)
        defer { lock.release() }
        do {
            try Self.checkExistingFile(path)
        } catch {
            // A file of something else is left as it was found: without a lock file of ours beside it.
            if !lockExisted { try? FileManager.default.removeItem(atPath: lockPath) }
            throw error
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.foreignKeysEnabled = true
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw RunStoreError(.failed, "Cannot open the run store \(path): \(error)")
        }
        try markInterruptedRuns()
    }

    /// Reads an existing non-empty file read-only and refuses it unless it is an autocoder store (or an empty
    /// SQLite database), before anything could write to it.
    private static func checkExistingFile(_ path: String) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size > 0 else { return }
        let aside = "mv '\(path)' '\(path).bad'"
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(30)
        let found: (applicationID: Int32, tables: [String])
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            found = try queue.read { db in
                (
                    try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                    try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                )
            }
            try queue.close()
        } catch let error as DatabaseError
            where error.resultCode != .SQLITE_NOTADB && error.resultCode != .SQLITE_CORRUPT
        {
            // Busy, locked, unreadable for lack of permission: the file is not at fault.
            throw RunStoreError(.failed, "Cannot read the run store \(path): \(Self.reason(error))")
        } catch {
            throw RunStoreError(
                .unreadable,
                "\(path) is not an autocoder run store (SQLite says: \(Self.reason(error))). autocoder has not "
                    + "changed it. Move it aside (\(aside)) or choose another file with --store PATH.")
        }
        let ownTables = found.tables.filter { !$0.hasPrefix("sqlite_") }
        guard found.applicationID == applicationID || (found.applicationID == 0 && ownTables.isEmpty) else {
            throw RunStoreError(
                .foreign,
                "\(path) is a SQLite database of something else (tables: \(ownTables.prefix(5).joined(separator: ", "))). "
                    + "autocoder has not changed it. Move it aside (\(aside)) or choose another file with --store PATH."
            )
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }

    /// Marks runs still `running` whose process is gone (killed, crashed) as `interrupted`.
    private func markInterruptedRuns() throws {
        do {
            try pool.write { db in
                let rows = try Row.fetchAll(db, sql: "SELECT id, pid, process_start FROM run WHERE status = 'running'")
                for row in rows {
                    let identity = ProcessIdentity(pid: row["pid"], start: row["process_start"])
                    if !identity.isAlive {
                        try db.execute(
                            sql: "UPDATE run SET status = 'interrupted' WHERE id = ? AND status = 'running'",
                            arguments: [row["id"] as String])
                    }
                }
            }
        } catch {
            throw RunStoreError(.failed, "Cannot update the run store \(path): \(error)")
        }
    }
}
