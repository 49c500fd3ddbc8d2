import ArgumentParser
import AutoCoder
import AutoCoderApp
import AutoCoderStore
import Foundation

/// `autocoder replay`: runs a recorded run again with no model, and says where it departs from the recording.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract:
            "Re-run a recorded run with no model: generator calls are answered from the recording, tests run for real.",
        discussion: """
            It reports where the new run departs from the recorded one: a test that passed then and fails now, a run \
            that stops differently. The replay is itself recorded (with replay_of set) unless --no-store. The recorded \
            settings are used unless a flag overrides them.
            Exit codes: 0 same as the recording · 1 departed · 2 bad input (unknown run, not a store) · 3 executor failure.
            """)

    @Argument(help: "The run id (or a unique prefix).")
    var id: String

    @Flag(help: "Do not record the replay in the run store.")
    var noStore = false

    @OptionGroup var execution: ExecutionOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var eventsOption: EventsOption

    func validate() throws {
        try eventsOption.check(json: execution.json)
    }

    /// What `--json` prints.
    struct Report: Encodable {
        var runID: String
        var replayOf: String
        var same: Bool
        var departures: [ReplayDeparture]
        var outcome: RunOutcome
    }

    func run() async throws {
        // A missing store: "nothing recorded yet" at the default place, a typo for --store.
        if !RunStore.mayExist(at: storeOptions.path) {
            _ = try storeOptions.openForRun()
        }
        let session = execution.session(RunConfiguration(store: storeOptions.path))
        let (run, recorded): (SessionRun, StoredRun)
        do {
            (run, recorded) = try await session.replay(id, record: !noStore)
        } catch {
            throw CLIExit(error)
        }
        let progress = ProgressPrinter(enabled: !execution.json, limit: run.maxIterations)
        Terminal.note("Replaying run \(recorded.summary.id) (\(recorded.calls.count) recorded generator answers)")
        let outcome = await eventsOption.outcome(of: run, progress: progress)
        let runID = run.runID
        if outcome.stopReason == .cancelled {
            throw CLIExit(code: .interrupted, message: "interrupted; the replay was stopped.")
        }

        let departures = ReplayComparison.departures(recorded: recorded, replay: outcome)
        if execution.json {
            try Terminal.json(
                Report(
                    runID: runID, replayOf: recorded.summary.id, same: departures.isEmpty, departures: departures,
                    outcome: outcome))
        } else {
            // With --events, stdout holds only the events: the comparison goes to stderr.
            let say: (String) -> Void = { eventsOption.events ? Terminal.note($0) : Terminal.out($0) }
            if departures.isEmpty {
                say("Same as the recording: \(outcome.stopReason.rawValue) after \(outcome.iterations) iteration(s).")
            } else {
                say("The replay departs from the recording:")
                for departure in departures { say("  - \(departure.description)") }
            }
        }
        if outcome.testResult?.outcome == .infrastructureError {
            throw CLIExit.toolFailure(outcome.error ?? "the tests could not be run")
        }
        if !departures.isEmpty { throw CLIExit(code: .failure) }
    }
}
