/// A model behind an API: it takes a chat and returns the reply.
public protocol ChatProvider: Sendable {
    /// The provider's name in messages and records (`openai`, `anthropic`, `ollama`, `local`).
    var name: String { get }
    /// The model the provider asks.
    var model: String { get }
    /// Told about retries ("HTTP 429 …; trying again in 2 s"), for progress output.
    var onNotice: (@Sendable (String) -> Void)? { get set }
    /// Sends `request` and returns the whole reply. Throws ``ProviderError`` (or `CancellationError`).
    func complete(_ request: ChatRequest) async throws -> ChatReply
}
