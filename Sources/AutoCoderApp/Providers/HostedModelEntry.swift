import AutoCoderLLM

/// A model behind an HTTP API that an environment variable's key opens (OpenAI's Chat Completions or any server
/// that speaks it, Anthropic's Messages): the automatic choice takes it when the key is set.
struct HostedModelEntry: GeneratorProvider {
    let name: String
    /// The variable whose value is the API key.
    let key: String
    /// The chat provider for the configuration's model and base URL.
    let provider: @Sendable (ProviderEnvironment, GeneratorConfiguration) throws -> any ChatProvider

    func isAutomaticChoice(_ context: ProviderContext) async -> Bool {
        context.environment.variable(key) != nil
    }

    func open(_ configuration: GeneratorConfiguration, context: ProviderContext) async throws -> OpenGenerator {
        .model(try provider(context.environment, configuration), configuration: configuration, context: context)
    }
}
