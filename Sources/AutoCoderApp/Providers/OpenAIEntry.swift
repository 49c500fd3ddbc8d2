import AutoCoderLLM

/// OpenAI's Chat Completions API, or any server that speaks it (`--base-url`).
struct OpenAIEntry: GeneratorProvider {
    var name: String { "openai" }

    func isAutomaticChoice(_ context: ProviderContext) async -> Bool {
        context.environment.variable("OPENAI_API_KEY") != nil
    }

    func open(_ configuration: GeneratorConfiguration, context: ProviderContext) async throws -> OpenGenerator {
        .model(
            try context.environment.openAI(model: configuration.model, baseURL: configuration.url),
            configuration: configuration, context: context)
    }
}
