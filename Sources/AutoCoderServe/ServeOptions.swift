import AutoCoderStore
import Foundation

/// `autocoder serve`'s flags: where it listens, the token, and how many runs it takes at once.
struct ServeOptions {
    var host = "127.0.0.1"
    var port = 8080
    var token: String?
    /// Runs at once; more wait in the queue.
    var maxRuns = 2
    /// Runs that may wait; past that a new run is `429`.
    var queue = 16
    /// How long runs may go on after SIGTERM before they are cancelled and marked `interrupted`.
    var grace = 10
    /// The largest request body, in bytes (`413` past it).
    var bodyLimit = 1_048_576
    /// The run store: a SQLite file, or a postgres:// URL that several machines share.
    var store = RunStore.defaultPath()

    static let usage = """
        usage: autocoder serve [--host H] [--port P] [--token T] [--max-runs N] [--queue N] [--grace S] [--store S]
          --host      the address to listen on (default 127.0.0.1); any other needs a token
          --port      the port (default 8080; 0 picks a free one, printed on stderr)
          --token     the bearer token every request must carry (default: $AUTOCODER_TOKEN)
          --max-runs  runs at once (default 2); --queue how many more may wait (default 16), then 429
          --grace     on SIGTERM, seconds runs may go on before they are cancelled and marked interrupted (default 10)
          --store     the run store: a SQLite file, or a postgres:// URL (default $AUTOCODER_HOME/runs.sqlite)
        """

    /// The options `arguments` give, or the reason they cannot be used.
    static func parse(_ arguments: [String], environment: [String: String]) -> Result<ServeOptions, ServeError> {
        var options = ServeOptions()
        options.token = environment["AUTOCODER_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            if flag == "--help" || flag == "-h" { return .failure(.help) }
            guard let value = rest.popFirst() else { return .failure(.bad("\(flag) needs a value.\n\(usage)")) }
            switch flag {
            case "--host": options.host = value
            case "--token": options.token = value
            case "--store": options.store = value
            case "--port", "--max-runs", "--queue", "--grace":
                guard let number = Int(value), number >= (["--port", "--grace"].contains(flag) ? 0 : 1), number <= 65535
                else {
                    return .failure(.bad("\(flag) must be a whole number in range (it is '\(value)')."))
                }
                switch flag {
                case "--port": options.port = number
                case "--max-runs": options.maxRuns = number
                case "--grace": options.grace = number
                default: options.queue = number
                }
            default: return .failure(.bad("unknown flag '\(flag)'.\n\(usage)"))
            }
        }
        // Every address of 127.0.0.0/8 is this machine's loopback, as are ::1 and localhost.
        let octets = options.host.split(separator: ".", omittingEmptySubsequences: false).map { UInt8($0) }
        let loopback =
            ["::1", "[::1]", "localhost"].contains(options.host)
            || (octets.count == 4 && octets.allSatisfy { $0 != nil } && octets.first == 127)
        if !loopback, options.token == nil {
            return .failure(
                .bad("--host \(options.host) is not a loopback address: give --token T (or AUTOCODER_TOKEN) first."))
        }
        return .success(options)
    }
}

enum ServeError: Error {
    case help
    case bad(String)
}
