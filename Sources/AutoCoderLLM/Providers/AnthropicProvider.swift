import AutoCoder
import Foundation

/// A Claude model behind Anthropic's Messages API, streamed.
public struct AnthropicProvider: ChatProvider {
    public var name: String { "anthropic" }
    public var model: String
    public var endpoint: ProviderEndpoint

    /// The API version the requests are written for.
    public static let apiVersion = "2023-06-01"

    /// - Parameter baseURL: the API root without `/v1` (`https://api.anthropic.com`).
    public init(
        model: String, baseURL: URL, apiKey: String, client: HTTPClient = HTTPClient(),
        retry: RetryPolicy = RetryPolicy()
    ) {
        self.model = model
        self.endpoint = ProviderEndpoint(
            provider: "anthropic", url: baseURL.appendingPathComponent("v1/messages"),
            headers: ["x-api-key": apiKey, "anthropic-version": Self.apiVersion], client: client, retry: retry)
    }

    public var onNotice: (@Sendable (String) -> Void)? {
        get { endpoint.onNotice }
        set { endpoint.onNotice = newValue }
    }

    public func complete(_ request: ChatRequest) async throws -> ChatReply {
        try await endpoint.post(try body(for: request), as: AnthropicStream.self, replyText: request.replyText)
    }

    func body(for request: ChatRequest) throws -> Data {
        var body: [String: JSONValue] = [
            "model": .string(model),
            "max_tokens": .number(Double(request.maxTokens)),
            "temperature": .number(min(request.temperature, 1)),
            "stream": true,
            "messages": .array(
                request.conversation.map {
                    .object(["role": .string($0.role.rawValue), "content": .string($0.content)])
                }),
        ]
        if let system = request.systemPrompt { body["system"] = .string(system) }
        return try JSONEncoder().encode(JSONValue.object(body))
    }
}

/// Collects a Messages stream: `content_block_delta` text, the input tokens of `message_start`, the output tokens
/// and stop reason of `message_delta`, until `message_stop`. An `error` event ends it with the server's message.
struct AnthropicStream: StreamAccumulator {
    let replyText: TextSink?

    init(replyText: TextSink?) {
        self.replyText = replyText
    }

    private var text = ""
    private var inputTokens: Int?
    private var outputTokens: Int?
    private var stopReason: String?
    private var done = false

    private struct Event: Decodable {
        struct Counts: Decodable {
            var inputTokens: Int?
            var outputTokens: Int?
        }
        struct Message: Decodable { var usage: Counts? }
        struct Delta: Decodable {
            var type: String?
            var text: String?
            var stopReason: String?
        }
        struct Failure: Decodable {
            var type: String?
            var message: String?
        }
        var type: String
        var message: Message?
        var delta: Delta?
        var usage: Counts?
        var error: Failure?
    }

    mutating func consume(_ event: ServerSentEvent) throws(StreamProblem) -> Bool {
        let decoded: Event
        do {
            decoded = try snakeCaseDecoder.decode(Event.self, from: Data(event.data.utf8))
        } catch {
            throw .malformed("a stream event is not valid JSON: \(event.data.prefix(200))")
        }
        switch decoded.type {
        case "message_start":
            inputTokens = decoded.message?.usage?.inputTokens
            outputTokens = decoded.message?.usage?.outputTokens
        case "content_block_delta":
            if decoded.delta?.type == "text_delta", let piece = decoded.delta?.text {
                text += piece
                replyText?(piece)
            }
        case "message_delta":
            if let reason = decoded.delta?.stopReason { stopReason = reason }
            if let output = decoded.usage?.outputTokens { outputTokens = output }
        case "message_stop":
            done = true
            return true
        case "error":
            let failure = decoded.error
            throw .serverError([failure?.type, failure?.message].compactMap { $0 }.joined(separator: ": "))
        default:
            break
        }
        return false
    }

    var isComplete: Bool { done }

    var reply: ChatReply {
        let usage = inputTokens.map { Usage(promptTokens: $0, completionTokens: outputTokens ?? 0) }
        return ChatReply(text: text, usage: usage, finishReason: stopReason)
    }
}
