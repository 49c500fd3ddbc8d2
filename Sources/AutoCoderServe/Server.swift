import AutoCoder
import AutoCoderApp
import AutoCoderStore
import Foundation
import Hummingbird
import ServiceLifecycle

/// `autocoder serve`: autocoder over HTTP, each endpoint a thin adapter over ``Session`` (the shapes of the MCP
/// tools and of `--json`):
/// - `POST /v1/runs` starts a solve (a ``SolveRequest``) and answers `202 {"id"}` at once; `429` when the queue is
///   full;
/// - `GET /v1/runs` (from the store, `?limit=`), `GET /v1/runs/{id}` (the recorded run);
/// - `GET /v1/runs/{id}/events`: Server-Sent Events, the `--events` lines, from the first for a late joiner and
///   from after `Last-Event-ID` on a reconnection, live until the run ends;
/// - `DELETE /v1/runs/{id}` cancels a run (its processes are killed);
/// - `POST /v1/test`, `POST /v1/exec`; `GET /healthz`.
/// It listens on 127.0.0.1 unless told otherwise, and anywhere else only with a bearer token, checked on every
/// request in constant time.
public enum HTTPServer {
    /// Serves until SIGTERM or SIGINT, then gives the runs `grace` to end (`autocoder serve`).
    public static func run(_ options: ServeOptions) async throws {
        let app = try application(options) { port in
            let host = options.host.contains(":") ? "[\(options.host)]" : options.host
            FileHandle.standardError.write(Data("autocoder: serving on http://\(host):\(port)\n".utf8))
        }
        do {
            try await app.runService()
        } catch {
            let host = options.host.contains(":") ? "[\(options.host)]" : options.host
            throw ServeError.cannotBind("cannot serve on \(host):\(options.port): \(reason(error))")
        }
    }

    /// The application `run` serves, with its router and the runs' shutdown service: what the tests drive
    /// in-process. Throws ``ServeError/storeUnusable(_:)`` for a store that exists and cannot be used, said before
    /// serving rather than found by the first request.
    public static func application(
        _ options: ServeOptions, onServerRunning: @escaping @Sendable (Int) -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let runs = Runs(maxRuns: options.maxRuns, queue: options.queue)
        let router = Router(context: BasicRequestContext.self)
        if let token = options.token { router.add(middleware: BearerToken(token: token)) }
        let endpoints = Endpoints(runs: runs, bodyLimit: options.bodyLimit, storeLocation: options.store)
        do {
            _ = try endpoints.store()
        } catch {
            throw ServeError.storeUnusable((error as? RunStoreError)?.message ?? "\(error)")
        }
        endpoints.add(to: router)
        return Application(
            router: router, configuration: .init(address: .hostname(options.host, port: options.port)),
            services: [RunShutdown(runs: runs, grace: .seconds(options.grace), store: options.store)],
            onServerRunning: { channel in onServerRunning(channel.localAddress?.port ?? options.port) })
    }

    /// What the system said, without NIO's call syntax (`bind(descriptor:ptr:bytes:): Address already in use
    /// (errno: 98)` → `Address already in use`).
    static func reason(_ error: any Error) -> String {
        let text = "\(error)"
        if let match = text.firstMatch(of: /([A-Za-z][A-Za-z ,']*)\)? \(errno: \d+\)/) { return String(match.1) }
        return text
    }
}

/// On SIGTERM (or SIGINT): the server stops taking connections while the runs get `grace` to end; then the rest
/// are cancelled (their processes killed), which also ends their event streams, and are marked `interrupted`.
struct RunShutdown: Service {
    let runs: Runs
    let grace: Duration
    let store: String

    func run() async throws {
        try? await gracefulShutdown()
        if runs.active > 0 {
            FileHandle.standardError.write(Data("autocoder: stopping; runs get \(grace) to end\n".utf8))
        }
        await runs.shutdown(grace: grace, store: store)
    }
}

/// Every request must carry `Authorization: Bearer <token>`; compared in constant time.
struct BearerToken: RouterMiddleware {
    typealias Context = BasicRequestContext
    let token: String

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let given = request.headers[.authorization].map { Array($0.utf8) } ?? []
        let expected = Array("Bearer \(token)".utf8)
        var difference = UInt8(given.count == expected.count ? 0 : 1)
        for index in expected.indices { difference |= expected[index] ^ (index < given.count ? given[index] : 0) }
        guard difference == 0 else { throw HTTPError(.unauthorized, message: "A bearer token is required.") }
        return try await next(request, context)
    }
}
