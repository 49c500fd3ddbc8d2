import ArgumentParser
import AutoCoder
import AutoCoderBench
import Foundation

/// `autocoder bench compare A.json B.json`: two runs of `bench --json` side by side, problem by problem.
struct BenchCompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two 'bench --json' documents: pass@1, final solve rate, gain, and the problems that differ.",
        discussion: "Run the same data set with the same seeds twice (before and after a change) and compare them.")

    @Argument(help: ArgumentHelp("The baseline's bench --json document.", valueName: "A.json"))
    var baseline: String

    @Argument(help: ArgumentHelp("The other run's bench --json document.", valueName: "B.json"))
    var other: String

    @Flag(help: "Print the comparison as JSON.")
    var json = false

    func run() async throws {
        let (a, b) = (try Self.load(baseline), try Self.load(other))
        let comparison = BenchComparison(a, b)
        if json { return try Terminal.json(comparison) }
        func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
        func gain(_ value: Double?) -> String { value.map { String(format: "%.2f×", $0) } ?? "-" }
        let rows = [
            ["", "A", "B"], ["problems", "\(a.problems)", "\(b.problems)"],
            ["pass@1, first attempt", percent(a.passAt1), percent(b.passAt1)],
            ["final (with the loop)", percent(a.solveRate), percent(b.solveRate)],
            ["gain", gain(a.gain), gain(b.gain)],
            ["wall seconds", String(format: "%.1f", a.wallSeconds), String(format: "%.1f", b.wallSeconds)],
        ]
        for row in rows {
            Terminal.out(
                row[0].padding(toLength: 24, withPad: " ", startingAt: 0)
                    + row[1].padding(toLength: 10, withPad: " ", startingAt: 0) + row[2])
        }
        Terminal.out(
            "Solved only in A: \(comparison.onlyA.isEmpty ? "none" : comparison.onlyA.joined(separator: ", "))")
        Terminal.out(
            "Solved only in B: \(comparison.onlyB.isEmpty ? "none" : comparison.onlyB.joined(separator: ", "))")
        if !comparison.missing.isEmpty {
            Terminal.out("In one run only: \(comparison.missing.joined(separator: ", "))")
        }
    }

    static func load(_ path: String) throws -> BenchSummary {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIExit.badInput("\(path) cannot be read.")
        }
        do {
            return try JSONDocument.decoder().decode(BenchSummary.self, from: data)
        } catch let error as DecodingError {
            throw CLIExit.badInput("\(path) is not a 'bench --json' document: \(error.reason).")
        } catch {
            throw CLIExit.badInput("\(path) is not a 'bench --json' document: \(error.localizedDescription)")
        }
    }
}

/// Two bench runs side by side.
struct BenchComparison: Encodable {
    /// The two summaries, without their per-problem results.
    var a: BenchSummary
    var b: BenchSummary
    /// Problems solved in A and not in B, and the other way round.
    var onlyA: [String]
    var onlyB: [String]
    /// Problems in one run only.
    var missing: [String]

    init(_ a: BenchSummary, _ b: BenchSummary) {
        self.a = a.totals
        self.b = b.totals
        let solvedA = Set(a.results.filter(\.solved).map(\.taskID))
        let solvedB = Set(b.results.filter(\.solved).map(\.taskID))
        let idsA = Set(a.results.map(\.taskID))
        let idsB = Set(b.results.map(\.taskID))
        onlyA = solvedA.subtracting(solvedB).intersection(idsB).sorted()
        onlyB = solvedB.subtracting(solvedA).intersection(idsA).sorted()
        missing = idsA.symmetricDifference(idsB).sorted()
    }
}
