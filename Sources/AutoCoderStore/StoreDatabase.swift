import Foundation

/// The store's seam: a SQL database that holds the run store's tables. SQLite (``SQLiteDatabase``, the embedded
/// default) and PostgreSQL (in `AutoCoderPostgres`) implement it; ``RunStore`` records and reads runs through it
/// with the same statements and the same migrations (``StoreSchema``) on both.
public protocol StoreDatabase: Sendable {
    /// Where the store is, for messages: a path, or a URL without its password.
    var location: String { get }
    /// Runs `body` in one write transaction.
    func write(_ body: (any StoreConnection) throws -> Void) throws
    /// Runs `body` on a connection that reads.
    func read<T>(_ body: (any StoreConnection) throws -> T) throws -> T
    /// Whether the database finds itself consistent (SQLite's integrity check; a server is consistent by design).
    func isConsistent() throws -> Bool
}

/// One connection's statements. `?` marks each argument, in order.
public protocol StoreConnection {
    func execute(_ sql: String, _ arguments: [StoreValue]) throws
    func rows(_ sql: String, _ arguments: [StoreValue]) throws -> [StoreRow]
}

/// A value bound to a statement or read from a row.
public enum StoreValue: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)

    public init(_ value: Int?) { self = value.map { .int(Int64($0)) } ?? .null }
    public init(_ value: Int32?) { self = value.map { .int(Int64($0)) } ?? .null }
    public init(_ value: Double?) { self = value.map { .double($0) } ?? .null }
    public init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    public init(_ value: Bool?) { self = value.map { .int($0 ? 1 : 0) } ?? .null }
}

/// A row read from the store, by column name.
public struct StoreRow: Sendable {
    public var values: [String: StoreValue]

    public init(_ values: [String: StoreValue]) { self.values = values }

    public func int(_ column: String) -> Int? {
        switch values[column] {
        case .int(let value): Int(value)
        case .double(let value): Int(value)
        default: nil
        }
    }

    public func double(_ column: String) -> Double? {
        switch values[column] {
        case .double(let value): value
        case .int(let value): Double(value)
        default: nil
        }
    }

    public func string(_ column: String) -> String? {
        if case .text(let value) = values[column] { return value }
        return nil
    }

    public func bool(_ column: String) -> Bool? { int(column).map { $0 != 0 } }

    /// A column that must be there: the store's own schema guarantees it, so a gap is a damaged store.
    func required<T>(_ value: T?, _ column: String) throws -> T {
        guard let value else { throw RunStoreError(.failed, "The run store has no value in column '\(column)'.") }
        return value
    }
}
