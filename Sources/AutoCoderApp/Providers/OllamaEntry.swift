import AutoCoderLLM

/// A local Ollama server (`OLLAMA_HOST`).
struct OllamaEntry: GeneratorProvider {
    var name: String { "ollama" }

    func isAutomaticChoice(_ context: ProviderContext) async -> Bool {
        await context.environment.ollamaModels() != nil
    }

    func open(_ configuration: GeneratorConfiguration, context: ProviderContext) async throws -> OpenGenerator {
        let provider = try await context.environment.ollama(
            model: configuration.model, baseURL: configuration.url,
            contextSize: configuration.contextSize ?? GeneratorConfiguration.defaultContextSize)
        return .model(provider, configuration: configuration, context: context, local: true)
    }
}
