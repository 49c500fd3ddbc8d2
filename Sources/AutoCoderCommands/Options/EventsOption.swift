import ArgumentParser
import AutoCoder
import AutoCoderApp
import AutoCoderBench
import AutoCoderStore
import Foundation

/// `--events`: the run's events on stdout as JSON lines (shared by `solve`, `fix`, `replay` and `bench`).
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
        events ? Self.started(run) : nil
    }

    /// The event lines of `run`, its `run.started` written.
    static func started(_ run: SessionRun) -> RunEvents {
        let stream = RunEvents(runID: run.runID, write: write)
        stream.started(
            task: run.task, maxIterations: run.maxIterations, provider: run.settings.provider, model: run.settings.model
        )
        return stream
    }

    /// What gets a bench problem's events: its own lines, under its run's id.
    static func observer(for run: SessionRun) -> @Sendable (CodingEvent) -> Void {
        let stream = started(run)
        return { stream.handle($0) }
    }

    /// `bench.finished`, under the bench's own id, with the summary `--json` prints.
    func benchFinished(_ summary: BenchSummary) {
        RunEvents(runID: RunOutcome.newID(), write: Self.write).benchFinished(summary)
    }

    static let write: @Sendable (Data) -> Void = {
        Terminal.raw(String(decoding: $0, as: UTF8.self), to: .standardOutput)
    }

    /// Runs `run` to its end with the progress lines on stderr and, with `--events`, its event lines on stdout.
    func outcome(of run: SessionRun, progress: ProgressPrinter) async -> RunOutcome {
        let stream = stream(for: run)
        return await run.outcome(
            onEvent: {
                progress.show($0)
                stream?.handle($0)
            }, onText: textSink(stream))
    }
}
