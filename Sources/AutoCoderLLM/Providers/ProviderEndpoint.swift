import AutoCoder
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Where and how a provider sends its requests: the URL, the headers (keys included), the HTTP client with its
/// timeouts, and the retry policy. It turns every failure into a ``ProviderError`` that names the provider.
public struct ProviderEndpoint: Sendable {
    public var provider: String
    public var url: URL
    public var headers: [String: String]
    public var client: HTTPClient
    public var retry: RetryPolicy
    /// Told about each retry ("HTTP 429 …; trying again in 2.0 s"), for progress output.
    public var onNotice: (@Sendable (String) -> Void)?

    public init(
        provider: String, url: URL, headers: [String: String] = [:], client: HTTPClient = HTTPClient(),
        retry: RetryPolicy = RetryPolicy(), onNotice: (@Sendable (String) -> Void)? = nil
    ) {
        self.provider = provider
        self.url = url
        self.headers = headers
        self.client = client
        self.retry = retry
        self.onNotice = onNotice
    }

    /// Posts `body` and reads the streamed reply, retrying what ``RetryPolicy`` allows; its text goes to
    /// `replyText` as it comes (again from its start on a retry).
    func post<Accumulator: StreamAccumulator>(
        _ body: Data, as: Accumulator.Type, replyText: TextSink? = nil
    ) async throws -> ChatReply {
        var attempt = 1
        while true {
            do {
                return try await postOnce(body, as: Accumulator.self, replyText: replyText)
            } catch var error as ProviderError {
                error.attempts = attempt
                guard error.isRetryable, attempt < retry.maxAttempts else { throw error }
                let wait = retry.delay(afterAttempt: attempt, retryAfter: error.retryAfter)
                onNotice?(
                    "\(provider): \(error.shortReason); trying again in \(wait.secondsText) "
                        + "(attempt \(attempt + 1) of \(retry.maxAttempts))")
                try await Task.sleep(for: wait)
                attempt += 1
            }
        }
    }

    private func postOnce<Accumulator: StreamAccumulator>(
        _ body: Data, as: Accumulator.Type, replyText: TextSink?
    ) async throws
        -> ChatReply
    {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("text/event-stream", forHTTPHeaderField: "Accept")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body

        let response: HTTPResponseStream
        do {
            response = try await client.send(request)
        } catch let failure as HTTPFailure {
            throw error(for: failure)
        }
        guard (200..<300).contains(response.status) else {
            let data = (try? await response.collected(limit: 64 << 10)) ?? Data()
            throw statusError(response.status, body: data, headers: response.headers)
        }
        var accumulator = Accumulator(replyText: replyText)
        do {
            if response.headers["content-type"]?.contains("application/json") == true {
                let data = try await response.collected()
                _ = try accumulator.consume(ServerSentEvent(data: String(decoding: data, as: UTF8.self)))
                return accumulator.reply
            }
            var parser = ServerSentEventParser()
            for try await chunk in response.body {
                for event in parser.feed(chunk) where try accumulator.consume(event) {
                    return accumulator.reply
                }
            }
            if let event = parser.finish(), try accumulator.consume(event) { return accumulator.reply }
        } catch let failure as HTTPFailure {
            throw error(for: failure)
        } catch let problem as StreamProblem {
            switch problem {
            case .malformed(let text):
                throw ProviderError(provider: provider, url: url.absoluteString, kind: .malformed, message: text)
            case .serverError(let text):
                let kind: ProviderError.Kind =
                    Self.isContextLengthMessage(text) ? .contextLength(status: response.status) : .transport
                throw ProviderError(provider: provider, url: url.absoluteString, kind: kind, message: text)
            }
        }
        guard accumulator.isComplete else {
            throw ProviderError(
                provider: provider, url: url.absoluteString, kind: .transport,
                message: "the stream ended before the reply was complete (the connection was dropped)")
        }
        return accumulator.reply
    }

    private func error(for failure: HTTPFailure) -> ProviderError {
        let kind: ProviderError.Kind =
            switch failure {
            case .connection, .connectTimeout: .transport
            case .idleTimeout, .totalTimeout: .timeout
            }
        return ProviderError(provider: provider, url: url.absoluteString, kind: kind, message: failure.reason)
    }

    private func statusError(_ status: Int, body: Data, headers: [String: String]) -> ProviderError {
        let message = Self.serverMessage(in: body) ?? HTTPURLResponse.localizedString(forStatusCode: status)
        let kind: ProviderError.Kind =
            (400..<500).contains(status) && Self.isContextLengthMessage(message)
            ? .contextLength(status: status) : .http(status: status)
        return ProviderError(
            provider: provider, url: url.absoluteString, kind: kind, message: message,
            retryAfter: RetryPolicy.retryAfter(headers["retry-after"]))
    }

    /// The message in an error body: `{"error": {"message": …}}` (OpenAI, Anthropic), `{"error": "…"}` (Ollama,
    /// llama.cpp), `{"message": …}`, `{"detail": …}` (FastAPI), or the text itself.
    static func serverMessage(in body: Data) -> String? {
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String {
                return message
            }
            for key in ["error", "message", "detail"] {
                if let message = object[key] as? String { return message }
            }
            if let details = object["detail"] as? [[String: Any]], let first = details.first?["msg"] as? String {
                return first
            }
        }
        let text = String(decoding: body.prefix(2000), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        return text.count > 500 ? String(text.prefix(500)) + "…" : text
    }

    /// Whether a server's message says the prompt did not fit the context window.
    static func isContextLengthMessage(_ message: String) -> Bool {
        let text = message.lowercased()
        return [
            "context length", "context_length", "context window", "maximum context", "prompt is too long",
            "exceed context", "exceeds the context", "too many tokens",
        ].contains { text.contains($0) }
    }
}

extension ProviderError {
    /// The reason without the provider and URL, for retry notices.
    var shortReason: String {
        switch kind {
        case .http(let status), .contextLength(let status): "HTTP \(status): \(message)"
        default: message
        }
    }
}
