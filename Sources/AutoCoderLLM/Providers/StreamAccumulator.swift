import AutoCoder

/// Builds a reply from a provider's stream of events.
protocol StreamAccumulator {
    /// An accumulator that hands each piece of text to `replyText` as it comes.
    init(replyText: TextSink?)
    /// Takes one event; returns `true` when the stream is over (`[DONE]`, `message_stop`).
    mutating func consume(_ event: ServerSentEvent) throws(StreamProblem) -> Bool
    /// Whether the reply arrived whole; a stream that ends before that was cut off.
    var isComplete: Bool { get }
    var reply: ChatReply { get }
}

/// An event that cannot be read, or an error the server sent inside the stream.
enum StreamProblem: Error {
    case malformed(String)
    case serverError(String)
}
