import AutoCoder

/// A model's complete reply.
public struct ChatReply: Hashable, Sendable {
    public var text: String
    /// The tokens as the API counted them, or `nil` when it reported none.
    public var usage: Usage?
    /// Why the model stopped (`stop`, `length`, `end_turn`, `max_tokens`…), as the API said it.
    public var finishReason: String?

    public init(text: String, usage: Usage? = nil, finishReason: String? = nil) {
        self.text = text
        self.usage = usage
        self.finishReason = finishReason
    }

    /// Whether the reply was cut off at the token limit.
    public var wasCutOff: Bool {
        finishReason == "length" || finishReason == "max_tokens"
    }
}
