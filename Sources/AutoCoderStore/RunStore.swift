import AutoCoder
import Foundation

/// The store of every run: its task and settings, each generator call, each step and each test result, down to
/// single tests. It records and reads through a ``StoreDatabase``: a SQLite file by default
/// (`$AUTOCODER_HOME/runs.sqlite`), or a PostgreSQL database that several machines share. Each event is written in
/// its own transaction as it happens, so a run killed mid-way leaves a consistent store; for SQLite, the next open
/// marks it `interrupted`.
public struct RunStore: Sendable {
    public let database: any StoreDatabase

    /// Where the store is: a path, or a URL without its password.
    public var path: String { database.location }

    /// The store's default path: `$AUTOCODER_HOME/runs.sqlite`, else `~/.autocoder/runs.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        AutocoderHome.directory(environment: environment).appendingPathComponent("runs.sqlite").path
    }

    /// The store at `location`: a `postgres://` URL opens the PostgreSQL store (in the executables that link it,
    /// see ``StoreBackends``), anything else the SQLite file at that path, created if needed.
    /// - Throws: ``RunStoreError`` for a file that is not a store (left untouched), a database that cannot be
    ///   reached, or a URL this executable cannot open.
    public init(path location: String) throws {
        database = try StoreBackends.open(location)
    }

    /// The store at `location` for a command that only reads it: opened as usual, or, where this process cannot
    /// write it, opened for reading only (a SQLite file).
    public static func forReading(_ location: String) throws -> RunStore {
        do {
            return try RunStore(path: location)
        } catch let error as RunStoreError where error.kind == .readOnly && StoreBackends.scheme(of: location) == nil {
            return RunStore(database: try SQLiteDatabase(readingOnly: location))
        }
    }

    /// Whether there may be a store at `location` to read: a database URL, or a file that exists (reading commands
    /// must not create a store where a typo points).
    public static func mayExist(at location: String) -> Bool {
        StoreBackends.scheme(of: location) != nil || FileManager.default.fileExists(atPath: location)
    }

    public init(database: any StoreDatabase) {
        self.database = database
    }
}
