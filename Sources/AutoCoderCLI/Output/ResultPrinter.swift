import AutoCoder
import Foundation

/// Readable output of results.
enum ResultPrinter {
    /// Each test with a mark, its message when it did not pass, and a closing summary; on stdout.
    static func printTests(_ result: TestResult) {
        for test in result.tests {
            let mark =
                switch test.outcome {
                case .passed: "✓"
                case .failed: "✗"
                case .error: "E"
                case .skipped: "-"
                }
            Terminal.out("\(mark) \(test.name)")
            if test.outcome != .passed, let message = test.message {
                for line in message.split(separator: "\n").prefix(6) { Terminal.out("    \(line)") }
            }
        }
        if result.tests.isEmpty, result.outcome != .passed, !result.output.isEmpty {
            Terminal.out(lastLines(result.output, 30))
        }
        Terminal.out("Result: \(result.summary) in \(result.durationMs) ms")
    }

    /// The final files on stdout, each under a header line.
    static func printFinalFiles(_ outcome: RunOutcome) {
        for file in outcome.finalFiles {
            Terminal.out("--- \(file.path) ---")
            Terminal.out(file.content.hasSuffix("\n") ? String(file.content.dropLast()) : file.content)
        }
    }

    /// One line saying how the run ended.
    static func verdict(_ outcome: RunOutcome) -> String {
        let seconds = String(format: "%.1f", Double(outcome.durationMs) / 1000)
        let attempts = outcome.iterations == 1 ? "1 iteration" : "\(outcome.iterations) iterations"
        switch outcome.stopReason {
        case .testsPassed:
            return "Solved in \(attempts) (\(seconds) s)."
        case .error:
            return "Stopped after \(attempts): \(outcome.error ?? "error") (\(seconds) s)."
        default:
            let last = outcome.testResult.map { " Last result: \($0.summary)." } ?? ""
            return "Not solved: stopped (\(outcome.stopReason.rawValue)) after \(attempts) (\(seconds) s).\(last)"
        }
    }

    private static func lastLines(_ text: String, _ count: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
    }
}
