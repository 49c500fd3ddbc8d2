import AutoCoderStore
import Foundation

/// `autocoder serve`'s settings: where it listens, the token, how many runs it takes at once, the store.
public struct ServeOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var token: String?
    /// Runs at once; more wait in the queue.
    public var maxRuns = 2
    /// Runs that may wait; past that a new run is `429`.
    public var queue = 16
    /// How long runs may go on after SIGTERM before they are cancelled and marked `interrupted`.
    public var grace = 10
    /// The largest request body, in bytes (`413` past it).
    public var bodyLimit = 1_048_576
    /// The run store: a SQLite file, or a postgres:// URL that several machines share.
    public var store = RunStore.defaultPath()

    public init() {}

    /// Why these settings cannot be served, or `nil`: a token is required anywhere but on loopback (every address
    /// of 127.0.0.0/8, ::1 and localhost).
    public var problem: String? {
        let octets = host.split(separator: ".", omittingEmptySubsequences: false).map { UInt8($0) }
        let loopback =
            ["::1", "[::1]", "localhost"].contains(host)
            || (octets.count == 4 && octets.allSatisfy { $0 != nil } && octets.first == 127)
        if !loopback, token == nil {
            return "--host \(host) is not a loopback address: give --token T (or AUTOCODER_TOKEN) first."
        }
        return nil
    }
}

/// Why `serve` stopped before serving.
public enum ServeError: Error, Sendable {
    /// The run store exists and cannot be used (damaged, not a store, not writable).
    case storeUnusable(String)
    /// The address could not be bound (in use, not this machine's).
    case cannotBind(String)
}
