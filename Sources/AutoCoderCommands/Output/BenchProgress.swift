import AutoCoder
import AutoCoderBench
import Foundation
import Synchronization

/// Progress of a benchmark run on stderr. On a terminal: a bar redrawn in place, with the count solved, the time
/// so far and an estimate of the time left; each unsolved problem gets a line of its own above the bar. Elsewhere
/// (CI logs, pipes): one line per problem.
final class BenchProgress: Sendable {
    private struct State {
        var total: Int
        var done = 0
        var solved = 0
    }

    private let interactive: Bool
    private let started = ContinuousClock.now
    private let state: Mutex<State>

    init(total: Int = 0, interactive: Bool = isatty(STDERR_FILENO) == 1) {
        state = Mutex(State(total: total))
        self.interactive = interactive
    }

    /// Sets the number of problems, once they are known.
    func begin(total: Int) {
        state.withLock { $0.total = total }
    }

    func report(_ result: BenchResult) {
        state.withLock { state in
            state.done += 1
            if result.solved { state.solved += 1 }
            let verdict =
                result.solved ? "solved" : "not solved (\(result.outcome?.rawValue ?? result.stopReason.rawValue))"
            let seconds = String(format: "%.1f", Double(result.durationMs) / 1000)
            let line =
                "[\(state.done)/\(state.total)] \(result.taskID): \(verdict), \(result.iterations) iteration(s), \(seconds) s"
            guard interactive else {
                Terminal.note(line)
                return
            }
            let elapsed = ContinuousClock.now - started
            var text = "\r\u{1B}[2K"
            if !result.solved { text += line + "\n" }
            text += Self.bar(done: state.done, total: state.total, solved: state.solved, elapsed: elapsed)
            if state.done == state.total { text += "\n" }
            Terminal.raw(text, to: .standardError)
        }
    }

    /// `[██████░░░░░░░░░░░░░░] 49/164 · 47 solved · 12.3 s · about 29 s left`
    static func bar(done: Int, total: Int, solved: Int, elapsed: Duration, width: Int = 24) -> String {
        let filled = total == 0 ? width : min(width, done * width / total)
        let seconds = elapsed.seconds
        var text = "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + "]"
        text += " \(done)/\(total) · \(solved) solved · " + String(format: "%.1f s", seconds)
        if done > 0, done < total {
            text += String(format: " · about %.0f s left", seconds / Double(done) * Double(total - done))
        }
        return text
    }
}
