import ArgumentParser
import AutoCoderStore
import Foundation

/// Where the run store is.
struct StoreOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The run store: a SQLite file, or a postgres:// URL that several machines share. (default: "
                + "$AUTOCODER_HOME/runs.sqlite, else ~/.autocoder/runs.sqlite)",
            valueName: "path"))
    var store: String?

    var path: String { store ?? RunStore.defaultPath() }

    /// For a command that records its run unless `--no-store`: both at once say two things.
    func check(noStore: Bool) throws {
        if noStore, store != nil {
            throw ValidationError("--no-store and --store contradict each other; give one of them.")
        }
    }

    /// The store for commands that only read it: nothing is created. `nil` when there is no store at the default
    /// place yet; a `--store` path that does not exist is bad input (a typo must not create a store).
    func openExisting() throws -> RunStore? {
        guard RunStore.mayExist(at: path) else {
            if store != nil { throw CLIExit.badInput("there is no run store at \(path): nothing was recorded there.") }
            return nil
        }
        do {
            return try RunStore.forReading(path)
        } catch let error as RunStoreError {
            throw error.exit
        }
    }

    /// The store for a command that needs a recorded run.
    func openForRun() throws -> RunStore {
        guard let store = try openExisting() else {
            throw CLIExit.badInput("no run has been recorded yet (there is no run store at \(path)).")
        }
        return store
    }
}

extension RunStoreError {
    /// The CLI exit this error calls for: bad input for an unknown id or a foreign file, else a tool failure.
    var exit: CLIExit {
        CLIExit(code: isBadInput ? .badInput : .toolFailure, message: message)
    }
}
