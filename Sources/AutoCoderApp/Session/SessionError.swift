/// Why a session could not run, in the two kinds front ends tell apart: the user's input, or the machine.
public enum SessionError: Error, Hashable, Sendable {
    /// The input is wrong (a missing file, an unknown name, a setting out of range): exit 2.
    case badInput(String)
    /// A tool the run needs is missing or failed (no pytest, a model that cannot start): exit 3.
    case unavailable(String)

    public var message: String {
        switch self {
        case .badInput(let message), .unavailable(let message): message
        }
    }
}
