import ArgumentParser
import Foundation

#if Serve
    import AutoCoderServe
#endif

/// `autocoder serve`: the HTTP API (`AutoCoderServe`, linked with the `Serve` trait). It stops on SIGTERM or
/// SIGINT after the grace period, by itself: it takes no part in the command line's interrupt handling.
struct ServeCommand: AsyncParsableCommand, HandlesItsOwnSignals {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve autocoder over HTTP: start runs, stream their events, run tests and programs.",
        discussion: """
            POST /v1/runs (a solve, as the MCP tool takes it; answers 202 {"id"}), GET /v1/runs, GET /v1/runs/{id}, \
            GET /v1/runs/{id}/events (Server-Sent Events, with Last-Event-ID), DELETE /v1/runs/{id}, POST /v1/test, \
            POST /v1/exec, GET /healthz. It listens on 127.0.0.1:8080 by default; any other address needs a bearer \
            token (--token or AUTOCODER_TOKEN). Needs the Serve trait (`swift build --traits Serve`; releases have \
            it). See docs/http.md.
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

    func validate() throws {
        if let port, !(0...65535).contains(port) {
            throw ValidationError("--port must be a whole number from 0 to 65535 (it is \(port)).")
        }
        for (flag, value) in [("--max-runs", maxRuns), ("--queue", queue)] {
            if let value, value < 1 { throw ValidationError("\(flag) must be at least 1 (it is \(value)).") }
        }
        if let grace, grace < 0 { throw ValidationError("--grace must not be negative (it is \(grace)).") }
    }

    func run() async throws {
        #if Serve
            var options = ServeOptions()
            options.token =
                token ?? ProcessInfo.processInfo.environment["AUTOCODER_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            if let host { options.host = host }
            if let port { options.port = port }
            if let maxRuns { options.maxRuns = maxRuns }
            if let queue { options.queue = queue }
            if let grace { options.grace = grace }
            if let store { options.store = store }
            if let problem = options.problem { throw CLIExit.badInput(problem) }
            do {
                try await HTTPServer.run(options)
            } catch ServeError.storeUnusable(let reason) {
                throw CLIExit.toolFailure("cannot serve: \(reason)")
            } catch ServeError.cannotBind(let message) {
                throw CLIExit.badInput(message)
            }
        #else
            throw OptionalPart.serve.missing
        #endif
    }
}
