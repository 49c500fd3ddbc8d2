import Foundation

/// A model provider could not answer: which provider, which URL, and what the server said.
public struct ProviderError: Error, LocalizedError, Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// The server answered with an HTTP error status.
        case http(status: Int)
        /// The prompt did not fit the model's context window.
        case contextLength(status: Int)
        /// The request never got a complete answer: connection refused or dropped, or a timeout.
        case transport
        /// The server answered, then stalled past the idle timeout or ran past the total timeout. Not retried:
        /// the same request would most likely stall again.
        case timeout
        /// The server's answer could not be read.
        case malformed
        /// The provider is not set up (no key, no model installed…).
        case configuration
    }

    public var provider: String
    public var url: String
    public var kind: Kind
    /// The server's own message, or the transport's reason.
    public var message: String
    /// How many times the request was sent.
    public var attempts: Int
    /// How long the server asked to wait before trying again (`Retry-After`).
    public var retryAfter: Duration?

    public init(
        provider: String, url: String, kind: Kind, message: String, attempts: Int = 1, retryAfter: Duration? = nil
    ) {
        self.provider = provider
        self.url = url
        self.kind = kind
        self.message = message
        self.attempts = attempts
        self.retryAfter = retryAfter
    }

    public var errorDescription: String? {
        let tries = attempts > 1 ? " (after \(attempts) attempts)" : ""
        switch kind {
        case .http(let status):
            return "\(provider): HTTP \(status) from \(url)\(tries): \(message)"
        case .contextLength(let status):
            return "\(provider): the prompt is longer than the model's context window (HTTP \(status) from \(url)): "
                + "\(message). Lower --feedback-tokens or use a model with a larger context."
        case .transport:
            return "\(provider): no answer from \(url)\(tries): \(message)"
        case .timeout:
            return "\(provider): \(message), from \(url)"
        case .malformed:
            return "\(provider): unreadable answer from \(url): \(message)"
        case .configuration:
            return "\(provider): \(message)"
        }
    }

    /// Whether sending the request again may succeed: rate limits, server errors and transport failures.
    var isRetryable: Bool {
        switch kind {
        case .http(let status): status == 429 || (500...599).contains(status)
        case .transport: true
        case .timeout, .contextLength, .malformed, .configuration: false
        }
    }
}
