import AutoCoder
import AutoCoderLLM
import AutoCoderTestSupport
import Foundation
import Testing

@Suite struct AnthropicProviderTests {
    static let request = ChatRequest(messages: [.system("Be brief."), .user("Write greet.")], maxTokens: 300)

    func provider(
        _ server: TestHTTPServer, retry: RetryPolicy = OpenAIChatProviderTests.fastRetry
    )
        -> AnthropicProvider
    {
        AnthropicProvider(model: "claude-test", baseURL: server.baseURL, apiKey: "sk-ant-test", retry: retry)
    }

    @Test(arguments: [1, 5, 11, 400])
    func aStreamCutAnywhereGivesTheWholeReplyAndTheUsage(_ pieceSize: Int) async throws {
        let server = try TestHTTPServer(
            always: .events(StreamText.anthropic(StreamText.solutionPieces), pieceSize: pieceSize))
        let reply = try await provider(server).complete(Self.request)
        #expect(reply.text == StreamText.solutionReply)
        #expect(reply.usage == Usage(promptTokens: 21, completionTokens: 43))
        #expect(reply.finishReason == "end_turn")

        let sent = try #require(server.requests.first)
        #expect(sent.path == "/v1/messages")
        #expect(sent.headers["x-api-key"] == "sk-ant-test")
        #expect(sent.headers["anthropic-version"] == AnthropicProvider.apiVersion)
        #expect(sent.headers["authorization"] == nil)
        let body = try #require(sent.json)
        #expect(body["system"] as? String == "Be brief.")
        #expect(body["max_tokens"] as? Int == 300)
        #expect(body["stream"] as? Bool == true)
        let messages = try #require(body["messages"] as? [[String: String]])
        #expect(messages == [["role": "user", "content": "Write greet."]], "the system prompt is not a message")
    }

    @Test func anErrorEventInTheStreamCarriesTheServersMessage() async throws {
        let stream = """
            event: message_start
            data: {"type":"message_start","message":{"usage":{"input_tokens":3,"output_tokens":1}}}

            event: error
            data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}


            """
        let server = try TestHTTPServer(always: .events(stream))
        let error = try await #require(throws: ProviderError.self) {
            try await provider(server, retry: .none).complete(Self.request)
        }
        #expect(error.localizedDescription.contains("overloaded_error: Overloaded"))
    }

    @Test func aWrongKeyGivesTheServersMessage() async throws {
        let server = try TestHTTPServer(
            always: .json(
                #"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#, status: 401)
        )
        let error = try await #require(throws: ProviderError.self) { try await provider(server).complete(Self.request) }
        #expect(server.requests.count == 1)
        #expect(error.localizedDescription.contains("anthropic: HTTP 401"))
        #expect(error.localizedDescription.contains("invalid x-api-key"))
    }

    @Test func aPromptTooLongIsAContextLengthError() async throws {
        let server = try TestHTTPServer(
            always: .json(
                #"{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}"#,
                status: 400))
        let error = try await #require(throws: ProviderError.self) { try await provider(server).complete(Self.request) }
        #expect(error.kind == .contextLength(status: 400))
    }

    @Test func overloadedIsRetried() async throws {
        let server = try TestHTTPServer { _, index in
            index < 2
                ? .json(#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#, status: 529)
                : .events(StreamText.anthropic(["done"]))
        }
        let reply = try await provider(server).complete(Self.request)
        #expect(reply.text == "done")
        #expect(server.requests.count == 3)
    }
}
