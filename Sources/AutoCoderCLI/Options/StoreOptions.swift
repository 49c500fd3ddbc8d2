import ArgumentParser
import AutoCoderStore
import Foundation

/// Where the run store is.
struct StoreOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The run store (a SQLite file). (default: $AUTOCODER_HOME/runs.sqlite, else ~/.autocoder/runs.sqlite)",
            valueName: "path"))
    var store: String?

    /// The store, opened (and created if needed).
    func open() throws -> RunStore {
        do {
            return try RunStore(path: store ?? RunStore.defaultPath())
        } catch let error as RunStoreError {
            throw CLIExit(code: error.isBadInput ? .badInput : .toolFailure, message: error.message)
        }
    }
}

extension RunStoreError {
    /// The CLI exit this error calls for: bad input for an unknown id or a foreign file, else a tool failure.
    var exit: CLIExit {
        CLIExit(code: isBadInput ? .badInput : .toolFailure, message: message)
    }
}
