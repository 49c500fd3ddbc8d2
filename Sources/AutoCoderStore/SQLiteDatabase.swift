import AutoCoderProcess
import Foundation
import GRDB

/// The run store in a SQLite file (GRDB), the embedded default: WAL mode with a busy timeout, so several autocoder
/// processes can write at once. A file that is not a store is never touched.
public struct SQLiteDatabase: StoreDatabase {
    public let location: String
    let pool: any DatabaseWriter

    /// The `PRAGMA application_id` that marks a SQLite file as an autocoder run store ("ACDR").
    static let applicationID: Int32 = 0x4143_4452

    /// Opens (creating if needed) the store at `path`, brings its schema up to date, and marks runs whose process
    /// has died as `interrupted`.
    /// - Throws: ``RunStoreError`` for a file that is not a SQLite database or belongs to something else (it is
    ///   left untouched), or when the store cannot be created.
    public init(path: String) throws {
        self.location = path
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
        let lock: FileLock
        do {
            lock = try FileLock(path: lockPath)
        } catch let error as FileLock.OpenError {
            throw Self.cannotWrite(path, error.reason)
        }
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
            let pool = try DatabasePool(path: path, configuration: configuration)
            self.pool = pool
            try Self.migrator.migrate(pool)
        } catch {
            throw Self.storeError(error, path: path, doing: "open")
        }
        try markInterruptedRuns()
    }

    /// Opens the existing store at `path` for reading only: no lock, no migration, no sweep, nothing written. For
    /// the commands that read runs from a store this process cannot write.
    public init(readingOnly path: String) throws {
        self.location = path
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(30)
        do {
            // Immutable: a write-ahead-logged store is otherwise read through a shared-memory file beside it, which
            // a reader that cannot write the folder cannot make.
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            let encoded = absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? absolute
            pool = try DatabaseQueue(path: "file:\(encoded)?immutable=1", configuration: configuration)
        } catch {
            throw Self.storeError(error, path: path, doing: "read")
        }
    }

    /// A store this process cannot write: what to do instead, in one line.
    static func cannotWrite(_ path: String, _ reason: String) -> RunStoreError {
        RunStoreError(
            .readOnly,
            "The run store \(path) cannot be written (\(reason)). Its runs can still be listed; give --store a "
                + "writable file, or --no-store, to run without it.")
    }

    /// A store SQLite finds malformed: what to do instead, in one line.
    static func damaged(_ path: String, _ reason: String) -> RunStoreError {
        RunStoreError(
            .damaged,
            "The run store \(path) is damaged (SQLite says: \(reason)). Move it aside (mv '\(path)' '\(path).bad') to "
                + "start a new one, or run with --no-store.")
    }

    /// An error of SQLite's as the store's: damaged, not writable, or a failure of `doing` (open, read, write…).
    static func storeError(_ error: any Error, path: String, doing: String) -> RunStoreError {
        if let error = error as? RunStoreError { return error }
        if let error = error as? DatabaseError {
            switch error.resultCode.primaryResultCode {
            case .SQLITE_CORRUPT, .SQLITE_NOTADB: return damaged(path, reason(error))
            case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH: return cannotWrite(path, reason(error))
            default: break
            }
        }
        return RunStoreError(.failed, "Cannot \(doing) the run store \(path): \(reason(error))")
    }

    public func write(_ body: (any StoreConnection) throws -> Void) throws {
        do {
            try pool.writeWithoutTransaction { db in
                try db.inTransaction {
                    try body(SQLiteConnection(db: db))
                    return .commit
                }
            }
        } catch {
            throw Self.storeError(error, path: location, doing: "write to")
        }
    }

    public func read<T>(_ body: (any StoreConnection) throws -> T) throws -> T {
        do {
            return try pool.unsafeReentrantRead { db in try body(SQLiteConnection(db: db)) }
        } catch {
            throw Self.storeError(error, path: location, doing: "read")
        }
    }

    public func isConsistent() throws -> Bool {
        try read { db in try db.rows("PRAGMA integrity_check", []).first?.string("integrity_check") == "ok" }
    }

    /// The shared migrations, applied by GRDB's migrator; v1 also marks the file as autocoder's.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for (index, migration) in StoreSchema.migrations.enumerated() {
            migrator.registerMigration(migration.name) { db in
                if index == 0 { try db.execute(sql: "PRAGMA application_id = \(applicationID)") }
                for statement in migration.statements { try db.execute(sql: statement) }
            }
        }
        return migrator
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
            throw Self.storeError(error, path: location, doing: "update")
        }
    }
}

/// GRDB's connection as the store's.
struct SQLiteConnection: StoreConnection {
    let db: Database

    func execute(_ sql: String, _ arguments: [StoreValue]) throws {
        try db.execute(sql: sql, arguments: StatementArguments(arguments.map(\.databaseValue)))
    }

    func rows(_ sql: String, _ arguments: [StoreValue]) throws -> [StoreRow] {
        try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments.map(\.databaseValue))).map { row in
            var values: [String: StoreValue] = [:]
            for (column, value) in row {
                switch value.storage {
                case .null, .blob: values[column] = .null
                case .int64(let number): values[column] = .int(number)
                case .double(let number): values[column] = .double(number)
                case .string(let text): values[column] = .text(text)
                }
            }
            return StoreRow(values)
        }
    }
}

extension StoreValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .int(let value): value.databaseValue
        case .double(let value): value.databaseValue
        case .text(let value): value.databaseValue
        }
    }
}
