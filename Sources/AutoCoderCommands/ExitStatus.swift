import AutoCoderApp

/// The exit codes of the CLI contract.
enum ExitStatus: Int32 {
    case success = 0
    /// solve: stopped unsolved; test: some test did not pass.
    case failure = 1
    case badInput = 2
    /// The generator or the executor failed.
    case toolFailure = 3
    /// exec: the program was killed at its timeout.
    case timeout = 124
    /// Ctrl-C or SIGTERM.
    case interrupted = 130
}

/// Ends the command with an exit status, and a message for stderr when there is one.
struct CLIExit: Error {
    var code: ExitStatus
    var message: String?

    static func badInput(_ message: String) -> CLIExit { CLIExit(code: .badInput, message: message) }
    static func toolFailure(_ message: String) -> CLIExit { CLIExit(code: .toolFailure, message: message) }
}

extension CLIExit {
    /// The exit a session's error calls for: 2 for bad input, 3 for a missing or failed tool.
    init(_ error: SessionError) {
        switch error {
        case .badInput(let message): self.init(code: .badInput, message: message)
        case .unavailable(let message): self.init(code: .toolFailure, message: message)
        case .cancelled: self.init(code: .interrupted, message: "interrupted; nothing was run.")
        }
    }
}
