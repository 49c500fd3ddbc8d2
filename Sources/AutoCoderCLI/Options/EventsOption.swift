import ArgumentParser
import AutoCoderApp
import AutoCoderStore
import Foundation

/// `--events`: the run's events on stdout as JSON lines (shared by `solve`, `fix` and `replay`).
struct EventsOption: ParsableArguments {
    @Flag(
        help: ArgumentHelp(
            "Print the run's events on stdout, one JSON object per line, and nothing else there.",
            discussion:
                "run.started, iteration.started, generation.started, generation.finished, test.started, test.case, "
                + "test.finished, iteration.finished and run.finished (the outcome --json prints); each has type, "
                + "run_id, seq and time. --events=deltas adds generation.delta, the reply's text as it streams. "
                + "Progress stays on stderr. See docs/json.md#events."))
    var events = false

    /// `--events=deltas`, which `Main` spells as this hidden flag beside `--events`.
    @Flag(name: .customLong("event-deltas"), help: .hidden)
    var deltas = false

    /// Refuses `--events` with `--json`: both would write stdout.
    func check(json: Bool) throws {
        if deltas, !events { throw ValidationError("--event-deltas goes with --events; write --events=deltas.") }
        if events, json {
            throw ValidationError(
                "--events and --json both write stdout; choose one (run.finished carries the outcome).")
        }
    }

    /// The sink of the reply's text for `stream`, with `--events=deltas`; else `nil`.
    func textSink(_ stream: RunEvents?) -> (@Sendable (String) -> Void)? {
        guard deltas, let stream else { return nil }
        return { stream.delta($0) }
    }

    /// The event lines of `run`, its `run.started` written; `nil` without `--events`.
    func stream(for run: SessionRun) -> RunEvents? {
        guard events else { return nil }
        let stream = RunEvents(runID: run.runID) {
            Terminal.raw(String(decoding: $0, as: UTF8.self), to: .standardOutput)
        }
        stream.started(
            task: run.task, maxIterations: run.maxIterations, provider: run.settings.provider, model: run.settings.model
        )
        return stream
    }
}
