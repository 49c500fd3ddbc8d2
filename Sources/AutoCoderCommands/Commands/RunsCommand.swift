import ArgumentParser
import AutoCoder
import AutoCoderStore
import Foundation

/// `autocoder runs`: look back at recorded runs.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List, show, export and delete recorded runs.",
        discussion: "A run id may be shortened to any unique prefix of at least 4 characters.",
        subcommands: [ListRuns.self, ShowRun.self, ExportRun.self, DeleteRun.self])
}

/// `autocoder runs list`.
struct ListRuns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "The recorded runs, newest first.")

    @Option(help: "How many runs to show.")
    var limit = 50

    @Flag(help: "Print the runs as one JSON array.")
    var json = false

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1 (it is \(limit)).") }
    }

    func run() async throws {
        let store = try storeOptions.openExisting()
        let runs: [RunSummary]
        do {
            runs = try store?.runs(limit: limit) ?? []
        } catch let error as RunStoreError {
            throw error.exit
        }
        if json { return try Terminal.json(runs) }
        guard !runs.isEmpty else { return Terminal.out("No runs recorded in \(storeOptions.path) yet.") }
        let table =
            [["ID", "WHEN", "TASK", "MODEL", "SOLVED", "ITER", "TOKENS", "COST", "STATUS"]]
            + runs.map { run in
                [
                    String(run.id.prefix(8)), RunText.date(run.startedAt), String(run.taskTitle.prefix(40)),
                    run.model ?? run.provider, run.solved.map { $0 ? "yes" : "no" } ?? "-", "\(run.iterations)",
                    "\(run.promptTokens + run.completionTokens)",
                    run.costUSD.map { String(format: "$%.4f", $0) } ?? "-",
                    run.status.rawValue + (run.replayOf.map { " (replay of \($0.prefix(8)))" } ?? ""),
                ]
            }
        let widths = table[0].indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        for row in table {
            Terminal.out(
                row.enumerated().map { column, cell in
                    cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
    }
}

/// `autocoder runs show`.
struct ShowRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "A run step by step: what was generated, which tests failed and why, the diff between attempts.")

    @Argument(help: "The run id (or a unique prefix).")
    var id: String

    @Flag(help: "Print the whole run as one JSON document.")
    var json = false

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let run = try StoredRunLoader.load(id, from: storeOptions)
        if json { return try Terminal.json(run) }
        for line in RunText.describe(run) { Terminal.out(line) }
    }
}

/// `autocoder runs export`.
struct ExportRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a run out as JSON (one document) or JSON Lines (one record a line).")

    @Argument(help: "The run id (or a unique prefix).")
    var id: String

    @Option(help: "json or jsonl.")
    var format: String = "json"

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        if RunExport.Format(rawValue: format) == nil {
            throw ValidationError("--format must be json or jsonl (it is '\(format)').")
        }
    }

    func run() async throws {
        let run = try StoredRunLoader.load(id, from: storeOptions)
        Terminal.raw(try RunExport.text(run, format: RunExport.Format(rawValue: format) ?? .json), to: .standardOutput)
    }
}

/// `autocoder runs delete`.
struct DeleteRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a run and everything recorded of it.")

    @Argument(help: "The run id (or a unique prefix).")
    var id: String

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let store = try storeOptions.openForRun()
        do {
            Terminal.out("Deleted run \(try store.delete(id)).")
        } catch let error as RunStoreError {
            throw error.exit
        }
    }
}

/// Loads a run for a command, turning store errors into the CLI's exits.
enum StoredRunLoader {
    static func load(_ id: String, from options: StoreOptions) throws -> StoredRun {
        let store = try options.openForRun()
        do {
            return try store.run(id)
        } catch let error as RunStoreError {
            throw error.exit
        }
    }
}
