import AutoCoder
import Foundation

/// Why an HTTP exchange ended without a complete response.
public enum HTTPFailure: Error, Hashable, Sendable {
    /// No response head arrived within the connect timeout.
    case connectTimeout(Duration)
    /// The body went silent for longer than the idle timeout.
    case idleTimeout(Duration)
    /// The exchange took longer than the total timeout.
    case totalTimeout(Duration)
    /// The connection could not be made or was dropped; the text is the system's reason.
    case connection(String)

    /// A short description for error messages.
    public var reason: String {
        switch self {
        case .connectTimeout(let limit): "no response within \(limit.secondsText) (connect timeout)"
        case .idleTimeout(let limit): "the response stalled for \(limit.secondsText) (idle timeout)"
        case .totalTimeout(let limit): "the response took longer than \(limit.secondsText) (total timeout)"
        case .connection(let text): "connection failed: \(text)"
        }
    }
}

extension Duration {
    /// The duration in seconds, for messages: `30 s`, `0.5 s`.
    var secondsText: String {
        let seconds = self.seconds
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.2g s", seconds)
    }
}
