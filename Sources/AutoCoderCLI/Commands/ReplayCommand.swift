import ArgumentParser
import AutoCoder
import AutoCoderExecution
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

    /// What `--json` prints.
    struct Report: Encodable {
        var runID: String
        var replayOf: String
        var same: Bool
        var departures: [ReplayDeparture]
        var outcome: RunOutcome

        enum CodingKeys: String, CodingKey {
            case same, departures, outcome
            case runID = "run_id"
            case replayOf = "replay_of"
        }
    }

    func run() async throws {
        let store = try storeOptions.openForRun()
        let recorded: StoredRun
        do {
            recorded = try store.run(id)
        } catch let error as RunStoreError {
            throw error.exit
        }
        var task = recorded.task
        task.maxIterations = recorded.settings.maxIterations
        task.timeoutSeconds = execution.timeout ?? recorded.settings.timeoutSeconds
        let sandbox = Sandbox(
            enabled: !execution.noSandbox && recorded.settings.sandbox,
            memoryBytes: (execution.memory ?? recorded.settings.memoryMB ?? ExecutionOptions.defaultMemoryMB)
                * 1_048_576,
            maxProcesses: execution.maxProcs ?? recorded.settings.maxProcesses ?? ExecutionOptions.defaultMaxProcesses,
            diskBytes: (execution.disk ?? recorded.settings.diskMB ?? ExecutionOptions.defaultDiskMB) * 1_048_576)
        var settings = execution.settings()
        settings.sandbox = sandbox
        settings.timeout = .milliseconds(Int((task.timeoutSeconds ?? ExecutionOptions.defaultTimeout) * 1000))
        settings.integrity = execution.integrity ?? recorded.settings.integrity ?? .strict
        settings.interpreters = ExecutionOptions.interpreters(python: execution.python ?? recorded.settings.python)
        let executor = try execution.toolchain(for: task.language).executor(settings)
        await execution.warnAboutMissingLayers()
        // The recorded guards, without budgets (nothing is paid for) and with the recorded (chosen) first attempt.
        let policy = LoopPolicy(
            revertOnRegression: recorded.settings.revertOnRegression ?? true,
            stallLimit: recorded.settings.stallLimit ?? 3, rerunFailures: recorded.settings.rerunFailures ?? true)
        let coder = AutonomousCoder(
            generator: ReplayGenerator(calls: recorded.calls, languages: Toolchains.languages), executor: executor,
            maxIterations: recorded.settings.maxIterations, policy: policy)
        var recordedSettings = recorded.settings
        recordedSettings.provider = "replay"
        let runID = RunOutcome.newID()
        let recorder = RunRecorder(
            store: noStore ? nil : store, runID: runID, task: task, settings: recordedSettings,
            replayOf: recorded.summary.id)
        let progress = ProgressPrinter(enabled: !execution.json, limit: recorded.settings.maxIterations)
        Terminal.note("Replaying run \(recorded.summary.id) (\(recorded.calls.count) recorded generator answers)")
        let outcome = try await coder.run(task, runID: runID, progress: progress, recorder: recorder)
        if outcome.stopReason == .cancelled {
            throw CLIExit(code: .interrupted, message: "interrupted; the replay was stopped.")
        }

        let departures = ReplayComparison.departures(recorded: recorded, replay: outcome)
        if execution.json {
            try Terminal.json(
                Report(
                    runID: runID, replayOf: recorded.summary.id, same: departures.isEmpty, departures: departures,
                    outcome: outcome))
        } else if departures.isEmpty {
            Terminal.out(
                "Same as the recording: \(outcome.stopReason.rawValue) after \(outcome.iterations) iteration(s).")
        } else {
            Terminal.out("The replay departs from the recording:")
            for departure in departures { Terminal.out("  - \(departure.description)") }
        }
        if outcome.testResult?.outcome == .infrastructureError {
            throw CLIExit.toolFailure(outcome.error ?? "the tests could not be run")
        }
        if !departures.isEmpty { throw CLIExit(code: .failure) }
    }
}
