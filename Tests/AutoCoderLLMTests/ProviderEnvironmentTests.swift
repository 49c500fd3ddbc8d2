import AutoCoder
import AutoCoderLLM
import AutoCoderTestSupport
import Foundation
import Testing

@Suite struct ProviderEnvironmentTests {
    @Test func ollamaGetsItsContextSizeAndItsFirstModel() async throws {
        let server = try TestHTTPServer { request, _ in
            request.path == "/api/tags"
                ? .json(#"{"models":[{"name":"qwen2.5-coder:7b"},{"name":"llama3:8b"}]}"#, status: 200)
                : .events(StreamText.openAI(["hi"]))
        }
        let environment = ProviderEnvironment(environment: ["OLLAMA_HOST": "127.0.0.1:\(server.port)"])
        #expect(await environment.ollamaModels() == ["qwen2.5-coder:7b", "llama3:8b"])
        let provider = try await environment.ollama(model: nil, baseURL: nil, contextSize: 16384)
        #expect(provider.model == "qwen2.5-coder:7b")
        let reply = try await provider.complete(ChatRequest(messages: [.user("hello")]))
        #expect(reply.text == "hi")
        let sent = try #require(server.requests.last)
        #expect(sent.path == "/v1/chat/completions")
        let options = try #require(sent.json?["options"] as? [String: Int])
        #expect(options["num_ctx"] == 16384)
    }

    @Test func ollamaHostForms() throws {
        func root(_ host: String?) throws -> String {
            try ProviderEnvironment(environment: host.map { ["OLLAMA_HOST": $0] } ?? [:]).ollamaRoot().absoluteString
        }
        #expect(try root(nil) == "http://127.0.0.1:11434")
        #expect(try root("0.0.0.0") == "http://127.0.0.1:11434")
        #expect(try root("gpu-box:8080") == "http://gpu-box:8080")
        #expect(try root("https://ollama.example.com") == "https://ollama.example.com:11434")
    }

    @Test func missingKeysAreConfigurationErrorsThatSayWhatToSet() throws {
        let empty = ProviderEnvironment(environment: [:])
        let openAI = try #require(throws: ProviderError.self) { try empty.openAI(model: nil, baseURL: nil) }
        #expect(openAI.localizedDescription.contains("OPENAI_API_KEY is not set"))
        #expect(throws: ProviderError.self) { try empty.anthropic(model: nil, baseURL: nil) }
        // A self-hosted OpenAI-compatible server needs no key.
        let local = try empty.openAI(model: "m", baseURL: URL(string: "http://127.0.0.1:8000/v1"))
        #expect(local.endpoint.headers["Authorization"] == nil)
        let fromEnvironment = try ProviderEnvironment(
            environment: ["OPENAI_BASE_URL": "http://10.0.0.2:8000/v1", "AUTOCODER_MODEL": "qwen"]
        ).openAI(model: nil, baseURL: nil)
        #expect(fromEnvironment.endpoint.url.absoluteString == "http://10.0.0.2:8000/v1/chat/completions")
        #expect(fromEnvironment.model == "qwen")
    }
}
