import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Builds providers from the environment's keys and addresses (`OPENAI_API_KEY`, `OPENAI_BASE_URL`,
/// `ANTHROPIC_API_KEY`, `ANTHROPIC_BASE_URL`, `OLLAMA_HOST`), and picks one when none is named.
public struct ProviderEnvironment: Sendable {
    public var environment: [String: String]
    public var client: HTTPClient
    public var retry: RetryPolicy

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment, client: HTTPClient = HTTPClient(),
        retry: RetryPolicy = RetryPolicy()
    ) {
        self.environment = environment
        self.client = client
        self.retry = retry
    }

    public static let officialOpenAI = URL(string: "https://api.openai.com/v1")!
    public static let officialAnthropic = URL(string: "https://api.anthropic.com")!
    public static let defaultOpenAIModel = "gpt-4o-mini"
    public static let defaultAnthropicModel = "claude-sonnet-4-5"

    /// An OpenAI-compatible provider. The key is needed for the official API only.
    public func openAI(model: String?, baseURL: URL?) throws -> OpenAIChatProvider {
        let url =
            try baseURL ?? value("OPENAI_BASE_URL").map { try Self.url($0, "OPENAI_BASE_URL") } ?? Self.officialOpenAI
        let key = value("OPENAI_API_KEY")
        if key == nil, url.host == Self.officialOpenAI.host {
            throw ProviderError(
                provider: "openai", url: url.absoluteString, kind: .configuration,
                message: "OPENAI_API_KEY is not set. Export it, or point --base-url (or OPENAI_BASE_URL) at an "
                    + "OpenAI-compatible server that needs no key.")
        }
        return OpenAIChatProvider(
            model: model ?? value("AUTOCODER_MODEL") ?? Self.defaultOpenAIModel, baseURL: url, apiKey: key,
            client: client, retry: retry)
    }

    /// Anthropic's Messages API; needs `ANTHROPIC_API_KEY`.
    public func anthropic(model: String?, baseURL: URL?) throws -> AnthropicProvider {
        let url =
            try baseURL ?? value("ANTHROPIC_BASE_URL").map { try Self.url($0, "ANTHROPIC_BASE_URL") }
            ?? Self.officialAnthropic
        guard let key = value("ANTHROPIC_API_KEY") else {
            throw ProviderError(
                provider: "anthropic", url: url.absoluteString, kind: .configuration,
                message: "ANTHROPIC_API_KEY is not set.")
        }
        return AnthropicProvider(
            model: model ?? value("AUTOCODER_MODEL") ?? Self.defaultAnthropicModel, baseURL: url, apiKey: key,
            client: client, retry: retry)
    }

    /// Ollama through its OpenAI-compatible `/v1`, with `options.num_ctx` in every request so that Ollama does
    /// not cut the prompt to its 2048-token default. Without a model name, the first model Ollama lists is used.
    public func ollama(model: String?, baseURL: URL?, contextSize: Int) async throws -> OpenAIChatProvider {
        let root = try baseURL ?? ollamaRoot()
        let api = root.path.hasSuffix("/v1") ? root : root.appendingPathComponent("v1")
        var name = model ?? value("AUTOCODER_MODEL")
        if name == nil {
            guard let models = await ollamaModels(root: root) else {
                throw ProviderError(
                    provider: "ollama", url: root.absoluteString, kind: .transport,
                    message: "Ollama is not answering there. Start it (`ollama serve`) or set OLLAMA_HOST.")
            }
            guard let first = models.first else {
                throw ProviderError(
                    provider: "ollama", url: root.absoluteString, kind: .configuration,
                    message: "Ollama has no models. Pull one (`ollama pull qwen2.5-coder`) or pass --model.")
            }
            name = first
        }
        return OpenAIChatProvider(
            name: "ollama", model: name!, baseURL: api, apiKey: nil, client: client, retry: retry,
            extraBody: ["options": .object(["num_ctx": .number(Double(contextSize))])])
    }

    /// The local model's server, as an OpenAI-compatible provider.
    public func local(server: LocalModelServer) -> OpenAIChatProvider {
        OpenAIChatProvider(
            name: "local", model: LocalModel.modelName, baseURL: server.baseURL, apiKey: nil, client: client,
            retry: retry)
    }

    /// Ollama's address: `OLLAMA_HOST` (`host`, `host:port` or a URL), else 127.0.0.1:11434.
    public func ollamaRoot() throws -> URL {
        var host = value("OLLAMA_HOST") ?? "127.0.0.1:11434"
        if !host.contains("://") { host = "http://" + host }
        guard var components = URLComponents(string: host), components.host != nil else {
            throw ProviderError(
                provider: "ollama", url: host, kind: .configuration, message: "OLLAMA_HOST is not a valid address.")
        }
        if components.host == "0.0.0.0" { components.host = "127.0.0.1" }
        if components.port == nil { components.port = 11434 }
        if components.path == "/" { components.path = "" }
        return components.url!
    }

    /// The models a reachable Ollama lists, or `nil` when none answers within a second.
    public func ollamaModels(root: URL? = nil) async -> [String]? {
        guard let root = root ?? (try? ollamaRoot()) else { return nil }
        let quick = HTTPClient(timeouts: HTTPTimeouts(connect: .seconds(1), idle: .seconds(1), total: .seconds(2)))
        guard let response = try? await quick.send(URLRequest(url: root.appendingPathComponent("api/tags"))),
            response.status == 200, let data = try? await response.collected(),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let models = object["models"] as? [[String: Any]]
        else { return nil }
        return models.compactMap { $0["name"] as? String ?? $0["model"] as? String }
    }

    /// The variable `name`, or `nil` when it is unset or blank.
    public func variable(_ name: String) -> String? {
        value(name)
    }

    private func value(_ name: String) -> String? {
        guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    private static func url(_ text: String, _ variable: String) throws -> URL {
        guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw ProviderError(
                provider: variable, url: text, kind: .configuration,
                message: "\(variable) is not an http(s) URL: \(text)")
        }
        return url
    }
}
