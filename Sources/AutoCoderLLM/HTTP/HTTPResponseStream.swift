import Foundation

/// A response whose head has arrived and whose body is still streaming in.
public struct HTTPResponseStream: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The response headers, with lower-cased names.
    public var headers: [String: String]
    /// The body, piece by piece as the network delivers it. It throws ``HTTPFailure`` when the connection drops or
    /// a timeout passes.
    public var body: AsyncThrowingStream<Data, any Error>

    /// The whole body, collected.
    public func collected(limit: Int = 4 << 20) async throws -> Data {
        var data = Data()
        for try await chunk in body {
            data.append(chunk.prefix(max(0, limit - data.count)))
        }
        return data
    }
}
