import AutoCoderLLM

/// Anthropic's Messages API.
struct AnthropicEntry: GeneratorProvider {
    var name: String { "anthropic" }

    func isAutomaticChoice(_ context: ProviderContext) async -> Bool {
        context.environment.variable("ANTHROPIC_API_KEY") != nil
    }

    func open(_ configuration: GeneratorConfiguration, context: ProviderContext) async throws -> OpenGenerator {
        .model(
            try context.environment.anthropic(model: configuration.model, baseURL: configuration.url),
            configuration: configuration, context: context)
    }
}
