import Foundation

/// When to send a failed request again, and how long to wait first: exponential backoff with jitter, or what
/// the server's `Retry-After` asks for.
public struct RetryPolicy: Hashable, Sendable {
    /// How many times a request is sent at most (1 means no retry).
    public var maxAttempts: Int
    /// The wait before the second attempt; it doubles for each later one.
    public var baseDelay: Duration
    /// The longest wait between two attempts, `Retry-After` included.
    public var maxDelay: Duration

    public init(maxAttempts: Int = 4, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(60)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// No retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait after attempt `attempt` (1, 2, …) failed: the server's `Retry-After` when it gave one, else the
    /// base delay doubled per attempt, times a random factor between 0.5 and 1 so that clients spread out.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration?) -> Duration {
        if let retryAfter { return min(retryAfter, maxDelay) }
        let exponential = baseDelay * (1 << min(attempt - 1, 20))
        let jittered = exponential * Double.random(in: 0.5...1.0)
        return min(jittered, maxDelay)
    }

    /// A `Retry-After` header's value: seconds (`"3"`, `"1.5"`) or an HTTP date.
    public static func retryAfter(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0 { return .milliseconds(Int(seconds * 1000)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(Int(max(0, date.timeIntervalSince(now)) * 1000))
    }
}
