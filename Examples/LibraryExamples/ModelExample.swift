import AutoCoder
import AutoCoderExecution
import AutoCoderLLM
import Foundation

/// docs/library.md, "With a model".
func modelExample() async throws {
    // docs:begin
    let providers = ProviderEnvironment()  // keys and addresses from the environment
    let model = ModelGenerator(
        provider: try providers.anthropic(model: "claude-sonnet-4-5", baseURL: nil), languages: Toolchains.languages)
    let coder = AutonomousCoder(
        generator: model, executor: PytestExecutor(),
        feedbackFormatter: FeedbackFormatter(characterBudget: 8_000),
        policy: LoopPolicy(pricing: PriceTable.pricing(model: "claude-sonnet-4-5")))

    // The local model: install once, start its server for the run, stop it after.
    let local = LocalModel()
    if !local.isInstalled { try await local.install(python: URL(fileURLWithPath: "/usr/bin/python3")) { print($0) } }
    let server = try await LocalModelServer.start(local)
    defer { server.stop() }
    let offline = ModelGenerator(provider: providers.local(server: server), languages: Toolchains.languages)

    // Any chat provider on its own: streamed, retried, with timeouts.
    let reply = try await OpenAIChatProvider(
        model: "qwen2.5-coder", baseURL: URL(string: "http://127.0.0.1:8000/v1")!, apiKey: nil,
        client: HTTPClient(timeouts: HTTPTimeouts(connect: .seconds(10), idle: .seconds(60), total: .seconds(300))),
        retry: RetryPolicy(maxAttempts: 5)
    ).complete(ChatRequest(messages: [.system("Be brief."), .user("Say hi.")]))
    print(reply.text, reply.usage as Any)
    // docs:end
    _ = (coder, offline)
}
