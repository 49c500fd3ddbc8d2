import AutoCoder
import Foundation

/// A benchmark run written up: `report.md` (first-attempt pass@1 beside the final pass rate, an iterations
/// histogram, and tokens, cost and time per problem) and `pass-rate.svg` (the cumulative pass rate by iteration).
public enum BenchReport {
    /// Writes the report into `directory` (created if needed); returns the Markdown file's URL.
    @discardableResult
    public static func write(_ summary: BenchSummary, title: String, to directory: URL) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let markdown = directory.appendingPathComponent("report.md")
        try Data(self.markdown(summary, title: title).utf8).write(to: markdown)
        try Data(chart(summary).utf8).write(to: directory.appendingPathComponent("pass-rate.svg"))
        return markdown
    }

    /// The share of problems solved by each iteration (index 0 is iteration 1).
    static func cumulativePassRate(_ summary: BenchSummary) -> [Double] {
        summary.passByIteration
    }

    static func markdown(_ summary: BenchSummary, title: String) -> String {
        func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
        var lines = [
            "# \(title)", "",
            "| | |", "|---|---|",
            "| data set | \(summary.dataset) |",
            "| problems | \(summary.problems) |",
            "| pass@1, first attempt (no loop) | \(percent(summary.passAt1)) |",
            "| pass@1, final (with the loop) | \(percent(summary.solveRate)) (\(summary.solved) solved) |",
            "| gain (final / first attempt) | \(summary.gain.map { String(format: "%.2f×", $0) } ?? "- (no first attempt passed)") |",
            "| per solved problem | \(perSolved(summary)) |",
            "| wall time | \(String(format: "%.1f", summary.wallSeconds)) s |",
            "| tokens | \(summary.results.reduce(0) { $0 + $1.usage.promptTokens + $1.usage.completionTokens }) |",
            "| cost | \(costText(summary.results.compactMap(\.usage.costUSD))) |",
            "| tests made impossible | \(summary.impossible ? "yes: every solve is a cheat" : "no") |",
            "| cheating rate (forged passes not caught) | \(summary.cheatingRate.map(percent) ?? "-") |",
            "| answered \"tests inconsistent\" | \(percent(summary.inconsistentRate)) |",
            "| caught forging (a tampered attempt) | \(percent(summary.tamperedRate)) |",
            "", "![Cumulative pass rate by iteration](pass-rate.svg)", "",
            "## Iterations of the solved problems", "", "| iterations | problems |", "|---|---|",
        ]
        let solved = summary.results.filter(\.solved)
        for iterations in Set(solved.map(\.iterations)).sorted() {
            lines.append("| \(iterations) | \(solved.filter { $0.iterations == iterations }.count) |")
        }
        if solved.isEmpty { lines.append("| - | 0 |") }
        lines += [
            "", "## Problems", "", "| task | solved | iterations | outcome | tokens | cost | seconds |",
            "|---|---|---|---|---|---|---|",
        ]
        for result in summary.results {
            let tokens = result.usage.promptTokens + result.usage.completionTokens
            lines.append(
                "| \(result.taskID) | \(result.solved ? "yes" : "no") | \(result.iterations) | "
                    + "\(result.outcome?.rawValue ?? result.stopReason.rawValue) | \(tokens)"
                    + "\(result.usage.estimated ? " (est.)" : "") | \(costText(result.usage.costUSD.map { [$0] } ?? [])) | "
                    + "\(String(format: "%.1f", Double(result.durationMs) / 1000)) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Tokens, cost and seconds spent per solved problem (all problems' spending over the solved count).
    static func perSolved(_ summary: BenchSummary) -> String {
        guard summary.solved > 0 else { return "- (none solved)" }
        let count = Double(summary.solved)
        let tokens = summary.results.reduce(0) { $0 + $1.usage.promptTokens + $1.usage.completionTokens }
        let seconds = summary.results.reduce(0) { $0 + $1.durationMs } / 1000
        let cost = summary.results.compactMap(\.usage.costUSD)
        return String(
            format: "%.0f tokens, %@, %.1f s", Double(tokens) / count,
            cost.isEmpty ? "no cost" : String(format: "$%.4f", cost.reduce(0, +) / count), Double(seconds) / count)
    }

    private static func costText(_ costs: [Double]) -> String {
        costs.isEmpty ? "-" : String(format: "$%.4f", costs.reduce(0, +))
    }

    /// A line chart of the cumulative pass rate (0–100 %) against the iteration.
    static func chart(_ summary: BenchSummary) -> String {
        let rates = cumulativePassRate(summary)
        let (width, height, left, bottom, top, right) = (480.0, 300.0, 50.0, 40.0, 20.0, 20.0)
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        func x(_ index: Int) -> Double {
            rates.count == 1 ? left + plotWidth / 2 : left + plotWidth * Double(index) / Double(rates.count - 1)
        }
        func y(_ rate: Double) -> Double { top + plotHeight * (1 - rate) }
        let points = rates.enumerated().map { String(format: "%.1f,%.1f", x($0.offset), y($0.element)) }
        var svg = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
                + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">",
            "<title>Cumulative pass rate by iteration: \(summary.dataset)</title>",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
        ]
        for percent in stride(from: 0, through: 100, by: 25) {
            let level = y(Double(percent) / 100)
            svg.append(
                String(
                    format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>", left, level,
                    width - right, level))
            svg.append(
                String(
                    format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%d%%</text>", left - 6, level + 4, percent)
            )
        }
        for (index, rate) in rates.enumerated() {
            svg.append(
                String(
                    format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>", x(index),
                    height - bottom + 16,
                    index + 1))
            svg.append(
                String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#1f77b4\"/>", x(index), y(rate)))
        }
        svg.append(
            "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>"
        )
        svg.append(
            String(
                format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">iteration</text>", left + plotWidth / 2,
                height - 6))
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }
}
