import AutoCoder
import AutoCoderApp
import AutoCoderStore
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// The routes, each an adapter: decode the body, call the ``Session``, encode the `--json` document.
struct Endpoints: Sendable {
    let runs: Runs
    let bodyLimit: Int
    /// Where runs are recorded and read: a SQLite file, or a postgres:// URL several machines share.
    let storeLocation: String
    /// The run store, opened once (opening checks the schema and sweeps dead runs), when it first exists.
    let opened = OpenedStore()

    /// The run store, or `nil` while nothing is recorded yet.
    func store() throws -> RunStore? {
        if let store = opened.store.withLock({ $0 }) { return store }
        guard RunStore.mayExist(at: storeLocation) else { return nil }
        let store = try RunStore(path: storeLocation)
        opened.store.withLock { $0 = store }
        return store
    }

    /// `body` with the run store: an unknown run is 404 with `notFound`; a store that cannot be used (damaged, not
    /// writable, unreachable) is the server's trouble, not the client's: 503 with the store's one-line reason.
    func reading<T>(notFound: String = "", _ body: (RunStore?) throws -> T) throws -> T {
        do {
            return try body(try store())
        } catch let error as RunStoreError where error.kind == .unknownRun || error.kind == .ambiguousRun {
            throw HTTPError(.notFound, message: notFound)
        } catch let error as RunStoreError {
            throw HTTPError(.serviceUnavailable, message: error.message)
        }
    }

    func add(to router: Router<BasicRequestContext>) {
        // Every route through `on`, which notes its method: another method on a known path is then 405 with the
        // methods it allows, never 404.
        var allowed: [String: [HTTPRequest.Method]] = [:]
        func on(
            _ method: HTTPRequest.Method, _ path: String,
            _ handler: @Sendable @escaping (Request, BasicRequestContext) async throws -> some ResponseGenerator
        ) {
            router.on(RouterPath(stringLiteral: path), method: method, use: handler)
            allowed[path, default: []].append(method)
        }
        on(.get, "/openapi.json") { _, _ in try resource("openapi.json", type: "application/json") }
        on(.get, "/") { _, _ in try resource("web/index.html", type: "text/html; charset=utf-8") }
        on(.get, "/web/app.js") { _, _ in try resource("web/app.js", type: "text/javascript; charset=utf-8") }
        on(.get, "/web/style.css") { _, _ in try resource("web/style.css", type: "text/css; charset=utf-8") }
        on(.get, "/healthz") { _, _ in
            let answer: [String: String] = ["status": "ok"]
            return try json(answer)
        }
        on(.post, "/v1/test") { request, context in
            let body = try await decode(TestRequest.self, request, context)
            return try json(try await call { try await session().test(body) })
        }
        on(.post, "/v1/exec") { request, context in
            let body = try await decode(ExecRequest.self, request, context)
            return try json(try await call { try await session().exec(body) })
        }
        on(.post, "/v1/runs") { request, context in try await start(request, context) }
        on(.get, "/v1/runs") { request, _ in
            // A parameter that is given must be a number: `?limit=abc` is refused, never read as the default.
            let parameters = request.uri.queryParameters
            let limit = parameters["limit"].map { Int(String($0)) ?? -1 } ?? 50
            let offset = parameters["offset"].map { Int(String($0)) ?? -1 } ?? 0
            guard (1...1000).contains(limit), offset >= 0 else {
                throw HTTPError(.badRequest, message: "limit must be 1 to 1000 and offset at least 0.")
            }
            return try json(RunPage(runs: try reading { try $0?.runs(limit: limit, offset: offset) ?? [] }))
        }
        on(.get, "/v1/runs/{id}") { _, context in
            let id = try context.parameters.require("id")
            let unknown = "No run '\(id)' is recorded."
            return try json(
                try reading(notFound: unknown) { store in
                    guard let store else { throw HTTPError(.notFound, message: unknown) }
                    return try store.run(id)
                })
        }
        on(.get, "/v1/runs/{id}/events") { request, context in
            let id = try context.parameters.require("id")
            guard let live = runs.run(id) else {
                throw HTTPError(.notFound, message: "No run '\(id)' was started by this server.")
            }
            let after = request.headers[Self.lastEventID].flatMap(Int.init) ?? 0
            let lines = live.stream(skipping: after)
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-cache"
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    var seq = after
                    for await line in lines {
                        seq += 1
                        let text =
                            "id: \(seq)\ndata: \(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .newlines))\n\n"
                        try await writer.write(ByteBuffer(string: text))
                    }
                    try await writer.finish(nil)
                })
        }
        on(.delete, "/v1/runs/{id}") { _, context in
            let id = try context.parameters.require("id")
            guard let live = runs.run(id) else {
                throw HTTPError(.notFound, message: "No run '\(id)' was started by this server.")
            }
            live.task.withLock { $0?.cancel() }
            let answer: [String: String] = ["id": id, "status": "cancelling"]
            return try json(answer, status: .accepted)
        }
        for (path, methods) in allowed {
            let allow = methods.map(\.rawValue).joined(separator: ", ")
            for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] where !methods.contains(method) {
                router.on(RouterPath(stringLiteral: path), method: method) { _, _ -> Response in
                    var headers = HTTPFields()
                    headers[.allow] = allow
                    throw HTTPError(
                        .methodNotAllowed, headers: headers, message: "\(path) answers \(allow) only.")
                }
            }
        }
    }

    func start(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await decode(SolveRequest.self, request, context)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "autocoder-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // The task's folder lives as long as its run: removed when the run ends, or at once when it never starts.
        let remove: @Sendable () -> Void = { try? FileManager.default.removeItem(at: folder) }
        let run: SessionRun
        do {
            let configuration = try await call {
                try Session.configuration(of: body, base: RunConfiguration(store: storeLocation), folder: folder)
            }
            run = try await call { try await session(configuration).solve() }
        } catch {
            remove()
            throw error
        }
        guard runs.start(run, finished: remove) != nil else {
            await run.close()
            remove()
            throw HTTPError(.tooManyRequests, message: "The run queue is full; try again later.")
        }
        let answer: [String: String] = ["id": run.runID]
        return try json(answer, status: .accepted)
    }

    func session(_ configuration: RunConfiguration = RunConfiguration()) -> Session {
        Session(configuration, notice: { FileHandle.standardError.write(Data(("autocoder: " + $0 + "\n").utf8)) })
    }

    /// `work`, with a session's errors as HTTP errors: bad input `400`, a tool that cannot run `503`.
    func call<T: Sendable>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as SessionError {
            switch error {
            case .badInput(let message): throw HTTPError(.badRequest, message: message)
            case .unavailable(let message): throw HTTPError(.serviceUnavailable, message: message)
            default: throw HTTPError(.internalServerError, message: error.message)
            }
        }
    }

    static let lastEventID = HTTPField.Name("Last-Event-ID")!

    /// The body as `type`: `413` past the limit, `400` for JSON that does not fit (an unknown field, a missing one,
    /// a wrong type), naming what is wrong.
    func decode<T: ToolRequest>(_ type: T.Type, _ request: Request, _ context: BasicRequestContext) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: bodyLimit)
        } catch {
            throw HTTPError(.contentTooLarge, message: "The body is larger than \(bodyLimit) bytes.")
        }
        do {
            return try T.decode(Data(buffer.readableBytesView))
        } catch {
            throw HTTPError(.badRequest, message: error.message)
        }
    }

    /// A file of the server's resources (the OpenAPI document, the web page), as it is.
    func resource(_ path: String, type: String) throws -> Response {
        guard let folder = InstalledResources.folder("autocoder_AutoCoderServe") ?? Bundle.module.resourceURL,
            let data = FileManager.default.contents(atPath: folder.appendingPathComponent(path).path)
        else { throw HTTPError(.internalServerError, message: "\(path) is missing from the build.") }
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: Array(data))))
    }

    func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONDocument.encoder()
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(
            status: status, headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: Array(try encoder.encode(value)))))
    }
}

/// The run store once opened, shared by the routes.
final class OpenedStore: Sendable {
    let store = Mutex<RunStore?>(nil)
}

/// `GET /v1/runs`'s document.
struct RunPage: Encodable {
    var runs: [RunSummary]
}
