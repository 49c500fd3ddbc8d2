import AutoCoderStore
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The run store in PostgreSQL, shared by every worker and server that opens the same URL: the SQLite store's
/// tables and migrations (``StoreSchema``), in a schema of their own (`autocoder_store`). The store's calls are
/// synchronous, so it runs each statement on one connection of its own and waits for the answer on NIO's event
/// loop, never on Swift's cooperative threads. A lost connection is opened again at the next call.
public final class PostgresStoreDatabase: StoreDatabase, @unchecked Sendable {
    public let location: String
    private let address: DatabaseAddress
    private let lock = NSLock()
    private var connection: PostgresConnection?
    private let logger = Logger(label: "autocoder.store")

    /// Lets `RunStore(path:)` open `postgres://` and `postgresql://` locations in this executable.
    public static func register() {
        StoreBackends.register(schemes: ["postgres", "postgresql"]) { try PostgresStoreDatabase(url: $0) }
    }

    /// Connects to `url`, creates the store's schema if needed and brings it up to date.
    public init(url: String) throws {
        do {
            address = try DatabaseAddress(url)
        } catch let error as DatabaseError {
            throw RunStoreError(error)
        }
        location = address.description
        try lock.withLock {
            let connection = try connected()
            try run(["SELECT pg_advisory_lock(hashtext('autocoder-store-schema'))"], on: connection)
            defer { try? run(["SELECT pg_advisory_unlock(hashtext('autocoder-store-schema'))"], on: connection) }
            try run(
                [
                    "CREATE TABLE IF NOT EXISTS store_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ DEFAULT now())"
                ],
                on: connection)
            let applied = Set(
                try rows("SELECT name FROM store_migrations", [], on: connection).compactMap { $0.string("name") })
            for migration in StoreSchema.migrations where !applied.contains(migration.name) {
                try run(
                    ["BEGIN"] + migration.statements.map(StoreSchema.postgres)
                        + ["INSERT INTO store_migrations (name) VALUES ('\(migration.name)')", "COMMIT"],
                    on: connection)
            }
        }
    }

    deinit {
        // postgres-nio requires a connection to be closed before it goes.
        try? connection?.close().wait()
    }

    public func write(_ body: (any StoreConnection) throws -> Void) throws {
        try lock.withLock {
            let connection = try connected()
            try run(["BEGIN"], on: connection)
            do {
                try body(Statements(database: self, connection: connection))
                try run(["COMMIT"], on: connection)
            } catch {
                try? run(["ROLLBACK"], on: connection)
                throw error
            }
        }
    }

    public func read<T>(_ body: (any StoreConnection) throws -> T) throws -> T {
        try lock.withLock { try body(Statements(database: self, connection: try connected())) }
    }

    public func isConsistent() throws -> Bool { true }

    /// The open connection, or a new one (with the store's schema as its search path); called under `lock`.
    private func connected() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        do {
            let opened = try PostgresConnection.connect(
                on: PostgresConnection.defaultEventLoopGroup.any(),
                configuration: try address.connectionConfiguration(),
                id: 1, logger: logger
            ).wait()
            try run(["CREATE SCHEMA IF NOT EXISTS autocoder_store", "SET search_path TO autocoder_store"], on: opened)
            connection = opened
            return opened
        } catch let error as DatabaseError {
            throw RunStoreError(error)
        } catch {
            throw RunStoreError(
                .failed, "Cannot open the run store \(location): \(DatabaseError.describing(error))")
        }
    }

    private func run(_ statements: [String], on connection: PostgresConnection) throws {
        for statement in statements { _ = try rows(statement, [], on: connection) }
    }

    /// `sql`'s rows, its `?` placeholders bound to `arguments` in order.
    fileprivate func rows(
        _ sql: String, _ arguments: [StoreValue], on connection: PostgresConnection
    ) throws
        -> [StoreRow]
    {
        var numbered = ""
        var index = 0
        for character in sql {
            if character == "?" {
                index += 1
                numbered += "$\(index)"
            } else {
                numbered.append(character)
            }
        }
        var bindings = PostgresBindings()
        for argument in arguments {
            switch argument {
            case .null: bindings.appendNull()
            case .int(let value): bindings.append(value)
            case .double(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            }
        }
        let result: PostgresQueryResult
        do {
            let future: EventLoopFuture<PostgresQueryResult> = connection.query(
                PostgresQuery(unsafeSQL: numbered, binds: bindings), logger: logger)
            result = try future.wait()
        } catch {
            if connection.isClosed { self.connection = nil }
            throw RunStoreError(.failed, "The run store \(location): \(DatabaseError.describing(error))")
        }
        return try result.rows.map { row in
            var values: [String: StoreValue] = [:]
            for cell in row {
                guard cell.bytes != nil else {
                    values[cell.columnName] = .null
                    continue
                }
                switch cell.dataType {
                case .int2, .int4, .int8: values[cell.columnName] = .int(try cell.decode(Int64.self))
                case .float4, .float8, .numeric: values[cell.columnName] = .double(try cell.decode(Double.self))
                case .bool: values[cell.columnName] = .int(try cell.decode(Bool.self) ? 1 : 0)
                default: values[cell.columnName] = .text(try cell.decode(String.self))
                }
            }
            return StoreRow(values)
        }
    }

    /// The store's statements on one connection, inside `write` or `read`.
    private struct Statements: StoreConnection {
        let database: PostgresStoreDatabase
        let connection: PostgresConnection

        func execute(_ sql: String, _ arguments: [StoreValue]) throws {
            _ = try database.rows(sql, arguments, on: connection)
        }

        func rows(_ sql: String, _ arguments: [StoreValue]) throws -> [StoreRow] {
            try database.rows(sql, arguments, on: connection)
        }
    }
}

extension RunStoreError {
    /// The store's error for a database that cannot be addressed or reached (without the password).
    init(_ error: DatabaseError) {
        self.init(error.isBadInput ? .unreadable : .failed, error.description)
    }
}
