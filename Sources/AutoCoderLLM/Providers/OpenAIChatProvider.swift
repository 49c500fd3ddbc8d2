import AutoCoder
import Foundation

/// A model behind OpenAI's Chat Completions API, or any server that speaks it: OpenAI, vLLM, llama.cpp's
/// server, LM Studio, Ollama's `/v1`. Replies are streamed.
public struct OpenAIChatProvider: ChatProvider {
    public var name: String
    public var model: String
    public var endpoint: ProviderEndpoint
    /// Extra top-level fields of the request body (Ollama's `options` with its context size).
    public var extraBody: [String: JSONValue]

    /// - Parameters:
    ///   - baseURL: the API root, `/v1` included (`https://api.openai.com/v1`).
    ///   - apiKey: sent as a Bearer token when given.
    public init(
        name: String = "openai", model: String, baseURL: URL, apiKey: String?, client: HTTPClient = HTTPClient(),
        retry: RetryPolicy = RetryPolicy(), extraBody: [String: JSONValue] = [:]
    ) {
        self.name = name
        self.model = model
        var headers: [String: String] = [:]
        if let apiKey, !apiKey.isEmpty { headers["Authorization"] = "Bearer \(apiKey)" }
        self.endpoint = ProviderEndpoint(
            provider: name, url: baseURL.appendingPathComponent("chat/completions"), headers: headers, client: client,
            retry: retry)
        self.extraBody = extraBody
    }

    public var onNotice: (@Sendable (String) -> Void)? {
        get { endpoint.onNotice }
        set { endpoint.onNotice = newValue }
    }

    public func complete(_ request: ChatRequest) async throws -> ChatReply {
        try await endpoint.post(try body(for: request), as: OpenAIStream.self, replyText: request.replyText)
    }

    func body(for request: ChatRequest) throws -> Data {
        var body: [String: JSONValue] = [
            "model": .string(model),
            "messages": .array(
                request.messages.map { .object(["role": .string($0.role.rawValue), "content": .string($0.content)]) }),
            "stream": true,
            "stream_options": .object(["include_usage": true]),
            "max_tokens": .number(Double(request.maxTokens)),
            "temperature": .number(request.temperature),
        ]
        if let seed = request.seed { body["seed"] = .number(Double(seed)) }
        body.merge(extraBody) { _, extra in extra }
        return try JSONEncoder().encode(JSONValue.object(body))
    }
}

/// Collects a Chat Completions stream: `choices[0].delta.content` pieces, the finish reason, and the usage that
/// the last chunk carries (`stream_options.include_usage`). A whole, unstreamed completion is read too.
struct OpenAIStream: StreamAccumulator {
    let replyText: TextSink?

    init(replyText: TextSink?) {
        self.replyText = replyText
    }

    private var text = ""
    private var usage: Usage?
    private var finishReason: String?
    private var done = false

    private struct Chunk: Decodable {
        struct Choice: Decodable {
            struct Content: Decodable { var content: String? }
            var delta: Content?
            var message: Content?
            var finishReason: String?
        }
        struct Counts: Decodable {
            var promptTokens: Int?
            var completionTokens: Int?
        }
        struct Failure: Decodable { var message: String? }
        var choices: [Choice]?
        var usage: Counts?
        var error: Failure?
    }

    mutating func consume(_ event: ServerSentEvent) throws(StreamProblem) -> Bool {
        let data = event.data.trimmingCharacters(in: .whitespaces)
        if data == "[DONE]" {
            done = true
            return true
        }
        if data.isEmpty { return false }
        let chunk: Chunk
        do {
            chunk = try snakeCaseDecoder.decode(Chunk.self, from: Data(data.utf8))
        } catch {
            throw .malformed("a stream event is not valid JSON: \(data.prefix(200))")
        }
        if let failure = chunk.error { throw .serverError(failure.message ?? "the server reported an error") }
        for choice in chunk.choices ?? [] {
            let piece = choice.delta?.content ?? choice.message?.content ?? ""
            text += piece
            if !piece.isEmpty { replyText?(piece) }
            if let reason = choice.finishReason { finishReason = reason }
            if choice.message != nil { done = true }
        }
        if let counts = chunk.usage, let prompt = counts.promptTokens {
            usage = Usage(promptTokens: prompt, completionTokens: counts.completionTokens ?? 0)
        }
        return false
    }

    /// A stream is whole when it said `[DONE]`, or gave a finish reason before it closed.
    var isComplete: Bool { done || finishReason != nil }

    var reply: ChatReply { ChatReply(text: text, usage: usage, finishReason: finishReason) }
}
