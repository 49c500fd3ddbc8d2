import Foundation

/// Why a session could not run: the user's input, the machine, or a cancellation, which front ends tell apart.
public enum SessionError: Error, Hashable, Sendable {
    /// The input is wrong (a missing file, an unknown name, a setting out of range): exit 2.
    case badInput(String)
    /// A tool the run needs is missing or failed (no pytest, a model that cannot start): exit 3.
    case unavailable(String)
    /// The caller cancelled the work (Ctrl-C) before the run began: exit 130.
    case cancelled

    public var message: String {
        switch self {
        case .badInput(let message), .unavailable(let message): message
        case .cancelled: "interrupted"
        }
    }

    /// `error`, thrown by a tool the session called, as the session reports it: a cancellation stays one.
    static func failed(_ error: any Error) -> SessionError {
        error is CancellationError ? .cancelled : .unavailable(error.localizedDescription)
    }
}
