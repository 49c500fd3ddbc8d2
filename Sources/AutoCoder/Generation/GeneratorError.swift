import Foundation

/// A generator could not produce a reply.
public struct GeneratorError: Error, LocalizedError, Hashable, Sendable {
    /// A message that says what went wrong and what to do about it.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var errorDescription: String? { message }
}
