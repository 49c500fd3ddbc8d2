import AutoCoder

/// What a model is asked: the messages, and how long and how varied its reply may be.
public struct ChatRequest: Hashable, Sendable {
    /// The conversation; a leading ``ChatMessage/Role/system`` message is the system prompt.
    public var messages: [ChatMessage]
    /// The most tokens the reply may have.
    public var maxTokens: Int
    public var temperature: Double
    /// A sampling seed, for providers that take one.
    public var seed: Int?
    /// Where the reply's text goes as it streams, or `nil`.
    public var replyText: TextSink?

    public init(
        messages: [ChatMessage], maxTokens: Int = 4096, temperature: Double = 0.2, seed: Int? = nil,
        replyText: TextSink? = nil
    ) {
        self.messages = messages
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.seed = seed
        self.replyText = replyText
    }

    /// The system prompt, if the first message is one.
    var systemPrompt: String? {
        messages.first?.role == .system ? messages.first?.content : nil
    }

    /// The messages after the system prompt.
    var conversation: [ChatMessage] {
        messages.first?.role == .system ? Array(messages.dropFirst()) : messages
    }
}
