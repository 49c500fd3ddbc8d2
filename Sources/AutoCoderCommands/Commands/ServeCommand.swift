import ArgumentParser
import Foundation

/// `autocoder serve`: the HTTP API. It is the `autocoder-serve` executable beside this one (a product of its own,
/// so that the core CLI never waits for Hummingbird's build), which replaces this process.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve autocoder over HTTP: start runs, stream their events, run tests and programs.",
        discussion: """
            POST /v1/runs (a solve, as the MCP tool takes it; answers 202 {"id"}), GET /v1/runs, GET /v1/runs/{id}, \
            GET /v1/runs/{id}/events (Server-Sent Events, with Last-Event-ID), DELETE /v1/runs/{id}, POST /v1/test, \
            POST /v1/exec, GET /healthz. It listens on 127.0.0.1:8080 by default; any other address needs a bearer \
            token (--token or AUTOCODER_TOKEN). It runs `autocoder-serve`, built with `swift build --product \
            autocoder-serve` (scripts/test builds it). See docs/http.md.
            """)

    @Option(help: "The address to listen on; other than loopback, a token is required.") var host: String?
    @Option(help: "The port (0 picks a free one, printed on stderr). (default: 8080)") var port: Int?
    @Option(help: "The bearer token every request must carry. (default: $AUTOCODER_TOKEN)") var token: String?
    @Option(help: "Runs at once. (default: 2)") var maxRuns: Int?
    @Option(
        help: ArgumentHelp(
            "The run store: a SQLite file, or a postgres:// URL that workers share. (default: "
                + "$AUTOCODER_HOME/runs.sqlite)", valueName: "path|url"))
    var store: String?
    @Option(help: "Runs that may wait for a slot; past that, 429. (default: 16)") var queue: Int?
    @Option(help: "On SIGTERM, seconds runs may go on before they are cancelled and marked interrupted. (default: 10)")
    var grace: Int?

    func run() throws {
        var arguments: [String] = []
        if let host { arguments += ["--host", host] }
        if let port { arguments += ["--port", String(port)] }
        if let token { arguments += ["--token", token] }
        if let maxRuns { arguments += ["--max-runs", String(maxRuns)] }
        if let store { arguments += ["--store", store] }
        if let queue { arguments += ["--queue", String(queue)] }
        if let grace { arguments += ["--grace", String(grace)] }
        try SiblingExecutable.exec("autocoder-serve", arguments: arguments, what: "the HTTP server")
    }
}
