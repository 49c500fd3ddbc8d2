/// One event of a `text/event-stream` body.
public struct ServerSentEvent: Hashable, Sendable {
    /// The `event:` field, or `"message"` when there was none.
    public var event: String
    /// The `data:` lines, joined with newlines.
    public var data: String

    public init(event: String = "message", data: String) {
        self.event = event
        self.data = data
    }
}
