import ArgumentParser
import AutoCoderBench
import Foundation

/// `autocoder bench merge RESULT.json…`: the shards of one benchmark (`bench … --shard K/N --json`) as one result.
struct BenchMergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the --json results of a benchmark's shards (--shard K/N) into one result.",
        discussion: """
            Every shard K/N of the same run must be given once: a shard given twice, a missing one, or results of \
            different runs are refused (exit 2). The results come back in the data set's order; the wall time is \
            the slowest shard's. See docs/commands.md#shards for a Kubernetes Indexed Job and a GitHub Actions \
            matrix.
            """)

    @Argument(help: ArgumentHelp("The shards' bench --json documents.", valueName: "RESULT.json"))
    var results: [String]

    @Flag(help: "Print the merged result as JSON (the document bench --json prints).")
    var json = false

    func validate() throws {
        if results.isEmpty { throw ValidationError("Give the shards' bench --json documents.") }
    }

    func run() async throws {
        let merged: BenchSummary
        do {
            merged = try BenchSummary.merging(try results.map(BenchCompareCommand.load))
        } catch let error as BenchMergeError {
            throw CLIExit.badInput(error.message)
        }
        if json {
            try Terminal.json(merged)
        } else {
            BenchTable.print(merged)
            if merged.languages.count > 1 { BenchTable.printLanguages(merged) }
        }
    }
}
