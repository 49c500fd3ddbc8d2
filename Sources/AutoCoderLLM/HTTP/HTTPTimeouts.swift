/// How long an HTTP exchange may take, in three parts.
public struct HTTPTimeouts: Hashable, Sendable {
    /// From sending the request until the response's status line and headers arrive.
    public var connect: Duration
    /// The longest silence between two pieces of the response body.
    public var idle: Duration
    /// The whole exchange, from the request to the last byte of the body.
    public var total: Duration

    public init(connect: Duration = .seconds(30), idle: Duration = .seconds(120), total: Duration = .seconds(600)) {
        self.connect = connect
        self.idle = idle
        self.total = total
    }
}
