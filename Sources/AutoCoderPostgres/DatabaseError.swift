import PostgresNIO

/// What went wrong with the database, said without credentials.
public enum DatabaseError: Error, Sendable, CustomStringConvertible {
    /// The address cannot be read: the user's input.
    case badAddress(String)
    /// The server could not be reached, refused the login, or failed a statement.
    case unavailable(String)
    /// The bench asked for is not in the database.
    case unknownBench(String)

    public var description: String {
        switch self {
        case .badAddress(let message), .unavailable(let message): message
        case .unknownBench(let id): "no bench \(id) in the database (see 'autocoder bench status')."
        }
    }

    public var isBadInput: Bool {
        switch self {
        case .badAddress, .unknownBench: true
        case .unavailable: false
        }
    }

    /// Whether `error` may pass by itself, so that trying again makes sense: the server unreachable, restarting or
    /// overloaded, a connection lost, a serialization conflict. A refused login, a missing database or a bad
    /// statement is not.
    public static func isTransient(_ error: any Error) -> Bool {
        if let error = error as? PostgresTransactionError,
            let cause = error.beginError ?? error.closureError ?? error.commitError ?? error.rollbackError
        {
            return isTransient(cause)
        }
        guard let error = error as? PSQLError else { return !(error is DatabaseError) }
        if let state = error.serverInfo?[.sqlState] {
            return ["08", "40", "53", "57"].contains(String(state.prefix(2)))
        }
        return [.connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed]
            .contains(error.code)
    }

    /// `error` as a sentence: the server's own message when it sent one, else postgres-nio's error code (its
    /// descriptions hold no credentials, and neither do these).
    public static func describing(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.description }
        if let error = error as? PostgresTransactionError,
            let cause = error.beginError ?? error.closureError ?? error.commitError ?? error.rollbackError
        {
            return describing(cause)
        }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            let code = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return message + code
        }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }
}
