import AutoCoder
import AutoCoderApp
import AutoCoderExecution
import AutoCoderStore
import Foundation
import MCP

/// `autocoder mcp`: autocoder's tools over MCP on stdio (`solve`, `fix`, `test`, `exec`, `runs_list`, `run_show`), each
/// a thin adapter over the ``Session`` that the CLI also calls. Every result is `structuredContent` in the shape
/// of the matching `--json` document (and the same JSON as text); a tool's failure is an `isError` result and
/// never ends the server; `solve` reports an iteration's start and each test run as `notifications/progress`
/// when the client gave a progress token, and a cancellation from the client cancels the run and kills its
/// processes. Only the protocol goes to stdout; notes go to stderr.
public enum MCPServer {
    /// Serves on stdio until the client closes (`autocoder mcp`).
    public static func serveOnStandardIO() async throws {
        try await serve(transport: StdioTransport())
    }

    /// Serves on `transport` until it closes or the task is cancelled (Ctrl-C): what `autocoder mcp` does on stdio,
    /// and the tests on an in-memory pair.
    public static func serve(transport: any Transport) async throws {
        let server = await make()
        try await server.start(transport: transport)
        await withTaskCancellationHandler {
            await server.waitUntilCompleted()
        } onCancel: {
            Task { await server.stop() }
        }
    }

    /// The server with autocoder's tools, not started.
    public static func make() async -> Server {
        let server = Server(
            name: "autocoder", version: "1", title: "autocoder: make tests pass, in a sandbox",
            capabilities: .init(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in .init(tools: ToolCatalog.tools) }
        await server.withMethodHandler(CallTool.self) { params in
            await ToolCall(server: server, params: params).result()
        }
        return server
    }
}

/// One `tools/call`.
struct ToolCall: Sendable {
    let server: Server
    let params: CallTool.Parameters

    func result() async -> CallTool.Result {
        do {
            switch params.name {
            case "test": return try document(await session().test(try arguments(TestRequest.self)))
            case "exec": return try document(await session().exec(try arguments(ExecRequest.self)))
            case "solve": return try await solve()
            case "fix": return try await fix()
            case "runs_list": return try runsList()
            case "run_show": return try runShow()
            default: return failure("There is no tool '\(params.name)'; the tools are \(ToolCatalog.names).")
            }
        } catch let error as SessionError {
            return failure(error.message)
        } catch let error as ToolInputError {
            return failure(error.message)
        } catch let error as RunStoreError {
            return failure(error.localizedDescription)
        } catch {
            return failure(error.localizedDescription)
        }
    }

    /// A session with the default limits; its notes go to stderr.
    func session(_ configuration: RunConfiguration = RunConfiguration()) -> Session {
        Session(configuration, notice: Self.note)
    }

    /// A note for the person running the server: on stderr, never on the protocol's stdout.
    static let note: @Sendable (String) -> Void = {
        FileHandle.standardError.write(Data(("autocoder: " + $0 + "\n").utf8))
    }

    /// The call's arguments as `type`, or a ``ToolInputError`` that says what is wrong.
    func arguments<Request: ToolRequest>(_ type: Request.Type) throws -> Request {
        do {
            return try Request.decode(try JSONEncoder().encode(params.arguments ?? [:]))
        } catch let error as InputError {
            throw ToolInputError(message: "\(params.name): \(error.message)")
        }
    }

    func solve() async throws -> CallTool.Result {
        let request = try arguments(SolveRequest.self)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("autocoder-mcp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = try Session.configuration(
            of: request, base: RunConfiguration(store: RunStore.defaultPath()), folder: folder)
        let run = try await session(configuration).solve()
        let progress = params._meta?.progressToken.map { Progress(server: server, token: $0, total: run.maxIterations) }
        let outcome = await run.outcome(onEvent: { event in progress?.report(event) })
        await progress?.flush()
        if outcome.stopReason == .cancelled { throw CancellationError() }
        return try document(outcome, isError: outcome.stopReason == .error)
    }

    func fix() async throws -> CallTool.Result {
        let request = try arguments(FixRequest.self)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("autocoder-mcp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let progress = params._meta?.progressToken.map {
            Progress(server: server, token: $0, total: request.maxIterations ?? LoopSettings.defaultMaxIterations)
        }
        let report = try await Session.fix(
            request, base: RunConfiguration(store: RunStore.defaultPath()), folder: folder,
            onEvent: { event in progress?.report(event) }, notice: Self.note)
        await progress?.flush()
        return try document(report, isError: report.outcome?.stopReason == .error)
    }

    func runsList() throws -> CallTool.Result {
        struct Arguments: ToolRequest {
            static let fields: Set<String> = ["limit"]
            var limit: Int?
        }
        let limit = try arguments(Arguments.self).limit ?? 50
        guard limit >= 1 else { throw ToolInputError(message: "'limit' must be at least 1 (it is \(limit)).") }
        let path = RunStore.defaultPath()
        guard FileManager.default.fileExists(atPath: path) else { return try document(RunList(runs: [])) }
        return try document(RunList(runs: try RunStore(path: path).runs(limit: limit)))
    }

    func runShow() throws -> CallTool.Result {
        struct Arguments: ToolRequest {
            static let fields: Set<String> = ["id"]
            var id: String
        }
        let id = try arguments(Arguments.self).id
        let path = RunStore.defaultPath()
        guard FileManager.default.fileExists(atPath: path) else {
            throw ToolInputError(message: "No run is recorded yet (no store at \(path)).")
        }
        return try document(try RunStore(path: path).run(id))
    }

    /// `value` as the structured content, and as its JSON text for clients that read text only.
    func document(_ value: some Encodable, isError: Bool = false) throws -> CallTool.Result {
        let data = try JSONDocument.encoder().encode(value)
        let structured = try JSONDecoder().decode(Value.self, from: data)
        return .init(
            content: [.text(String(decoding: data, as: UTF8.self))], structuredContent: Optional.some(structured),
            isError: isError)
    }

    func failure(_ message: String) -> CallTool.Result {
        .init(content: [.text(message)], isError: true)
    }
}

/// `runs_list`'s document: an object, as structured content must be.
struct RunList: Codable {
    var runs: [RunSummary]
}

/// Arguments a tool cannot use.
struct ToolInputError: Error {
    var message: String
}

/// `notifications/progress` for a `solve`: one when an iteration starts and one when its tests end.
final class Progress: Sendable {
    let server: Server
    let token: ProgressToken
    let total: Int
    private let pending: Task<Void, Never>
    private let queue: AsyncStream<ProgressNotification.Parameters>.Continuation

    init(server: Server, token: ProgressToken, total: Int) {
        self.server = server
        self.token = token
        self.total = total
        let (stream, continuation) = AsyncStream.makeStream(of: ProgressNotification.Parameters.self)
        queue = continuation
        pending = Task {
            for await parameters in stream { try? await server.notify(ProgressNotification.message(parameters)) }
        }
    }

    func report(_ event: CodingEvent) {
        let message: String
        let progress: Double
        switch event {
        case .started(.test, _): return
        case .started(let kind, let iteration):
            (progress, message) = (
                Double(iteration - 1), "iteration \(iteration): \(kind == .generate ? "generating" : "fixing")"
            )
        case .tested(let result, let iteration):
            (progress, message) = (
                Double(iteration),
                "iteration \(iteration): \(result.numPassed)/\(result.tests.count) tests passed · \(result.outcome.rawValue)"
            )
        default: return
        }
        queue.yield(.init(progressToken: token, progress: progress, total: Double(total), message: message))
    }

    /// Waits until every notification has gone out, so that none follows the result.
    func flush() async {
        queue.finish()
        await pending.value
    }
}
