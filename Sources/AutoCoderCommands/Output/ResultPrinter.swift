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
            if test.outcome == .error, let details = test.details {
                for line in errorBlock(details) { Terminal.out("    \(line)") }
            }
        }
        if result.tests.isEmpty, result.outcome != .passed, result.outcome != .tampered, !result.output.isEmpty {
            Terminal.out(lastLines(result.output, 30))
        }
        for line in integrityLines(result.integrity) { Terminal.out(line) }
        Terminal.out("Result: \(result.summary) (\(result.durationMs) ms)")
    }

    /// What the integrity check found, a line each: proven forgeries first, then the scan's suspicions.
    static func integrityLines(_ report: IntegrityReport?) -> [String] {
        guard let report, !report.findings.isEmpty else { return [] }
        let sorted = report.findings.filter(\.proven) + report.findings.filter { !$0.proven }
        return ["Integrity (\(report.mode.rawValue)):"]
            + sorted.map { finding in
                let place = finding.location.map { "\($0) " } ?? ""
                return "  \(finding.proven ? "forged" : "found")  \(place)\(finding.rule): \(finding.message)"
            }
    }

    /// The last `E ` lines of an error's traceback (for a syntax error: the file, the line and the caret), with
    /// the workspace's path taken out.
    static func errorBlock(_ details: String) -> [String] {
        let lines = details.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let block = lines.reversed().prefix { $0.hasPrefix("E ") }.reversed().map { String($0.dropFirst(2)) }
        guard block.count > 1 else { return [] }
        return block.suffix(6).map {
            $0.replacing(/\/[^"\s]*\/autocoder-[A-Za-z0-9]+\/work\//, with: "")
        }
    }

    /// The final files on stdout, each under a header line.
    static func printFinalFiles(_ outcome: RunOutcome) {
        for file in outcome.finalFiles {
            Terminal.out("--- \(file.path) ---")
            Terminal.out(file.content.hasSuffix("\n") ? String(file.content.dropLast()) : file.content)
        }
    }

    /// How the run ended: the verdict, why it stopped and which attempt was kept, then held-out, flaky and
    /// candidate results when there are any.
    static func verdict(_ outcome: RunOutcome) -> [String] {
        let seconds = String(format: "%.1f", Double(outcome.durationMs) / 1000)
        let attempts = counted(outcome.iterations, "iteration")
        var lines: [String]
        switch outcome.stopReason {
        case .testsPassed:
            lines = ["Solved in \(attempts) (\(seconds) s)."]
        case .error:
            lines = ["Stopped after \(attempts): \((outcome.error ?? "error").withoutFinalPeriod) (\(seconds) s)."]
        case .testsInconsistent:
            lines = [
                "Not solved: after \(attempts) the model answered that the tests contradict the description "
                    + "(\(seconds) s).",
                "Its reason: \(outcome.stopDetail ?? "none given")",
            ]
        default:
            lines = ["Not solved: stopped (\(outcome.stopReason.rawValue)) after \(attempts) (\(seconds) s)."]
            if let detail = outcome.stopDetail { lines.append(detail) }
            if let result = outcome.testResult { lines.append("Kept attempt's result: \(result.summary).") }
        }
        if let held = outcome.holdoutResult {
            lines.append(
                outcome.overfit
                    ? "Held-out tests FAILED (\(held.summary)): the solution overfits the visible tests."
                    : "Held-out tests: \(held.summary).")
        }
        if !outcome.flakyTests.isEmpty {
            lines.append("Flaky (failed once, passed when re-run): \(outcome.flakyTests.joined(separator: ", ")).")
        }
        if let usage = usageLine(outcome.usage) { lines.append(usage) }
        if outcome.candidates.count > 1 {
            let parts = outcome.candidates.map { candidate in
                "#\(candidate.variant + 1) \(candidate.testResult.map { "\($0.numPassed)/\($0.tests.count)" } ?? "stopped")"
                    + (candidate.kept ? " (kept)" : "")
            }
            lines.append("Candidates: \(parts.joined(separator: ", ")).")
        }
        return lines
    }

    /// `Tokens: 1200 in, 340 out (estimated) · cost $0.0042` (the cost when a price is known), or `nil` when no
    /// tokens were counted.
    static func usageLine(_ usage: Usage) -> String? {
        guard usage.promptTokens + usage.completionTokens > 0 else { return nil }
        var line = "Tokens: \(usage.promptTokens) in, \(usage.completionTokens) out"
        if usage.estimated { line += " (estimated)" }
        if let cost = usage.costUSD { line += String(format: " · cost $%.4f", cost) }
        return line + "."
    }

    private static func lastLines(_ text: String, _ count: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
    }
}
