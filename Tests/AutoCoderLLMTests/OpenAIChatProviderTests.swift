import AutoCoder
import AutoCoderLLM
import AutoCoderTestSupport
import Foundation
import Synchronization
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite struct OpenAIChatProviderTests {
    static let request = ChatRequest(messages: [.system("Be brief."), .user("Write greet.")], maxTokens: 200)
    static let fastRetry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .seconds(2))

    func provider(
        _ server: TestHTTPServer, key: String? = "sk-test", retry: RetryPolicy = fastRetry,
        timeouts: HTTPTimeouts = HTTPTimeouts()
    ) -> OpenAIChatProvider {
        OpenAIChatProvider(
            model: "gpt-test", baseURL: server.baseURL.appendingPathComponent("v1"), apiKey: key,
            client: HTTPClient(timeouts: timeouts), retry: retry)
    }

    @Test(arguments: [1, 3, 7, 64])
    func aStreamCutAnywhereGivesTheWholeReplyAndTheUsage(_ pieceSize: Int) async throws {
        let server = try TestHTTPServer(
            always: .events(StreamText.openAI(StreamText.solutionPieces), pieceSize: pieceSize))
        let reply = try await provider(server).complete(Self.request)
        #expect(reply.text == StreamText.solutionReply)
        #expect(reply.usage == Usage(promptTokens: 12, completionTokens: 34))
        #expect(reply.finishReason == "stop")

        let sent = try #require(server.requests.first)
        #expect(sent.method == "POST")
        #expect(sent.path == "/v1/chat/completions")
        #expect(sent.headers["authorization"] == "Bearer sk-test")
        let body = try #require(sent.json)
        #expect(body["model"] as? String == "gpt-test")
        #expect(body["stream"] as? Bool == true)
        #expect(body["max_tokens"] as? Int == 200)
        let messages = try #require(body["messages"] as? [[String: String]])
        #expect(
            messages == [["role": "system", "content": "Be brief."], ["role": "user", "content": "Write greet."]])
    }

    @Test func noKeyMeansNoAuthorizationHeader() async throws {
        let server = try TestHTTPServer(always: .events(StreamText.openAI(["ok"])))
        _ = try await provider(server, key: nil).complete(Self.request)
        #expect(server.requests.first?.headers["authorization"] == nil)
    }

    @Test func aRateLimitIsRetriedAfterTheServersRetryAfter() async throws {
        let server = try TestHTTPServer { _, index in
            index == 0
                ? .json(
                    #"{"error":{"message":"Rate limit reached for gpt-test"}}"#, status: 429,
                    headers: ["Retry-After": "1"])
                : .events(StreamText.openAI(["fine"]))
        }
        let notices = Notices()
        var provider = provider(server)
        provider.onNotice = { notices.add($0) }
        let started = ContinuousClock.now
        let reply = try await provider.complete(Self.request)
        #expect(reply.text == "fine")
        #expect(server.requests.count == 2)
        #expect(ContinuousClock.now - started >= .milliseconds(950), "Retry-After: 1 was honoured")
        #expect(notices.all.count == 1)
        #expect(notices.all.first?.contains("HTTP 429: Rate limit reached for gpt-test") == true)
        #expect(notices.all.first?.contains("attempt 2 of 3") == true)
    }

    @Test func serverErrorsAreRetriedThenReportedWithStatusAndMessage() async throws {
        let server = try TestHTTPServer(always: .json(#"{"error":{"message":"upstream overloaded"}}"#, status: 500))
        let error = try await #require(throws: ProviderError.self) { try await provider(server).complete(Self.request) }
        #expect(server.requests.count == 3)
        #expect(error.kind == .http(status: 500))
        #expect(error.attempts == 3)
        let text = error.localizedDescription
        #expect(text.contains("openai"))
        #expect(text.contains("HTTP 500"))
        #expect(text.contains("127.0.0.1:\(server.port)/v1/chat/completions"))
        #expect(text.contains("upstream overloaded"))
    }

    @Test func aWrongKeyIsNotRetriedAndSaysWhatTheServerSaid() async throws {
        let server = try TestHTTPServer(
            always: .json(
                #"{"error":{"message":"Incorrect API key provided: sk-wrong.","code":"invalid_api_key"}}"#, status: 401)
        )
        let error = try await #require(throws: ProviderError.self) {
            try await provider(server, key: "sk-wrong").complete(Self.request)
        }
        #expect(server.requests.count == 1)
        #expect(error.kind == .http(status: 401))
        #expect(error.localizedDescription.contains("HTTP 401"))
        #expect(error.localizedDescription.contains("Incorrect API key provided"))
    }

    @Test func aContextLengthErrorIsReportedAsSuch() async throws {
        let server = try TestHTTPServer(
            always: .json(
                #"{"error":{"message":"This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.","code":"context_length_exceeded"}}"#,
                status: 400))
        let error = try await #require(throws: ProviderError.self) { try await provider(server).complete(Self.request) }
        #expect(error.kind == .contextLength(status: 400))
        #expect(server.requests.count == 1)
        #expect(error.localizedDescription.contains("longer than the model's context window"))
        #expect(error.localizedDescription.contains("--feedback-tokens"))
    }

    @Test func malformedJSONInTheStreamIsAnErrorNotACrash() async throws {
        let server = try TestHTTPServer(always: .events("data: {\"choices\": [oops\n\ndata: [DONE]\n\n"))
        let error = try await #require(throws: ProviderError.self) { try await provider(server).complete(Self.request) }
        #expect(error.kind == .malformed)
        #expect(server.requests.count == 1)
        #expect(error.localizedDescription.contains("not valid JSON"))
    }

    @Test func anAbruptDisconnectIsRetried() async throws {
        let stream = StreamText.openAI(["part one, ", "part two"])
        let server = try TestHTTPServer { _, index in
            index == 0 ? .events(stream, pieceSize: 20, dropAfter: 2) : .events(stream, pieceSize: 20)
        }
        let reply = try await provider(server).complete(Self.request)
        #expect(reply.text == "part one, part two")
        #expect(server.requests.count == 2)
    }

    @Test func aStreamThatEndsEarlyIsNotTakenAsAReply() async throws {
        let cut = StreamText.openAI(["half a repl"], usage: nil, done: false)
            .replacingOccurrences(
                of: #"data: {"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#, with: "")
        let server = try TestHTTPServer(always: .events(cut))
        let error = try await #require(throws: ProviderError.self) {
            try await provider(server, retry: .none).complete(Self.request)
        }
        #expect(error.kind == .transport)
        #expect(error.localizedDescription.contains("ended before the reply was complete"))
    }

    @Test func aServerThatNeverAnswersHitsTheConnectTimeout() async throws {
        let server = try TestHTTPServer(always: .hang(.seconds(30)))
        let error = try await #require(throws: ProviderError.self) {
            try await provider(
                server, retry: .none,
                timeouts: HTTPTimeouts(connect: .milliseconds(500), idle: .seconds(5), total: .seconds(8))
            ).complete(Self.request)
        }
        // The server hangs for 30 s and then closes the connection; a connect timeout is the only way to this error.
        #expect(error.localizedDescription.contains("connect timeout"))
    }

    @Test func aStreamThatStallsHitsTheIdleTimeout() async throws {
        let server = try TestHTTPServer(
            always: .respond(
                status: 200, chunks: [Data(StreamText.openAI(["a"], done: false).utf8), Data("data: [DONE]\n\n".utf8)],
                pause: .seconds(30)))
        let error = try await #require(throws: ProviderError.self) {
            try await provider(
                server, timeouts: HTTPTimeouts(connect: .seconds(10), idle: .milliseconds(700), total: .seconds(20))
            ).complete(Self.request)
        }
        #expect(error.kind == .timeout, "a stalled stream is not retried")
        #expect(error.localizedDescription.contains("idle timeout"))
        #expect(server.requests.count == 1)
    }

    @Test func cancellingTheTaskCancelsTheRequest() async throws {
        let server = try TestHTTPServer(always: .hang(.seconds(30)))
        let provider = provider(server)
        let task = Task { try await provider.complete(Self.request) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let result = await task.result
        // Without the cancellation the call would end 30 s later with a transport error and retry.
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(server.requests.count == 1)
    }

    /// A request whose task is cancelled before it starts ends at once, instead of waiting forever for a head
    /// that the cancellation could not yet resume.
    @Test func aRequestCancelledBeforeItStartsEndsAtOnce() async throws {
        let server = try TestHTTPServer(always: .hang(.seconds(30)))
        let client = HTTPClient(timeouts: HTTPTimeouts(connect: .seconds(20), idle: .seconds(20), total: .seconds(25)))
        let request = URLRequest(url: server.baseURL.appendingPathComponent("models"))
        let outcome = Mutex<String?>(nil)
        Task {
            withUnsafeCurrentTask { $0?.cancel() }
            let ending: String
            do {
                _ = try await client.send(request)
                ending = "a response"
            } catch is CancellationError {
                ending = "cancelled"
            } catch {
                ending = "\(error)"
            }
            outcome.withLock { $0 = ending }
        }
        // Polled, not awaited: a request that never ends must fail this test, not hang it.
        for _ in 0..<100 where outcome.withLock({ $0 == nil }) { try await Task.sleep(for: .milliseconds(50)) }
        #expect(outcome.withLock { $0 } == "cancelled", "the cancelled request did not end as cancelled within 5 s")
    }

    @Test func anUnstreamedJSONCompletionIsReadToo() async throws {
        let server = try TestHTTPServer(
            always: .json(
                #"{"choices":[{"index":0,"message":{"role":"assistant","content":"whole"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1}}"#,
                status: 200))
        let reply = try await provider(server).complete(Self.request)
        #expect(reply.text == "whole")
        #expect(reply.usage == Usage(promptTokens: 5, completionTokens: 1))
    }
}

/// Collects notices from any thread.
final class Notices: Sendable {
    private let lines = Mutex<[String]>([])
    func add(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
