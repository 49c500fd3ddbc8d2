import Foundation
import Synchronization

/// Which database a store location opens: a registered backend for its URL scheme, else a SQLite file. The
/// PostgreSQL backend lives in `AutoCoderPostgres` (so that the core CLI never builds postgres-nio) and registers
/// itself in the executables that link it.
public enum StoreBackends {
    private static let openers = Mutex<[String: @Sendable (String) throws -> any StoreDatabase]>([:])

    /// Opens locations whose URL scheme is one of `schemes` with `open`.
    public static func register(schemes: [String], _ open: @escaping @Sendable (String) throws -> any StoreDatabase) {
        openers.withLock { openers in for scheme in schemes { openers[scheme] = open } }
    }

    /// The URL scheme of `location` (`postgres` in `postgres://…`), if it has one.
    public static func scheme(of location: String) -> String? {
        guard let range = location.range(of: "://") else { return nil }
        let scheme = location[..<range.lowerBound].lowercased()
        return scheme.allSatisfy { $0.isLetter || $0 == "+" } && !scheme.isEmpty ? scheme : nil
    }

    /// Whether this executable can open stores at `scheme`:// locations.
    public static func canOpen(scheme: String) -> Bool {
        openers.withLock { $0[scheme.lowercased()] != nil }
    }

    static func open(_ location: String) throws -> any StoreDatabase {
        guard let scheme = scheme(of: location) else { return try SQLiteDatabase(path: location) }
        guard let open = openers.withLock({ $0[scheme] }) else {
            throw RunStoreError(
                .unreadable,
                "this autocoder cannot open a \(scheme):// run store: it was built without PostgreSQL. Build it "
                    + "with `swift build --traits Postgres`, or install a release, which has it.")
        }
        return try open(location)
    }
}
