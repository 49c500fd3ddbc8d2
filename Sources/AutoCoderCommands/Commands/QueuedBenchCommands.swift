import ArgumentParser
import AutoCoderApp
import AutoCoderBench
import Foundation

/// The benches that run on a PostgreSQL queue. The SQL is in `autocoder-worker` (so that the core CLI never builds
/// postgres-nio): these commands hand it the address in its environment (never on a command line another user could
/// read), and print what it answers as a local bench would.
enum QueuedBench {
    static let worker = "autocoder-worker"
    static let what = "the PostgreSQL queue"

    /// The database's address: the option, else `DATABASE_URL`.
    static func address(_ option: String?) throws -> String {
        guard let url = option ?? ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
            throw CLIExit.badInput("no database: give --database postgres://… or set DATABASE_URL.")
        }
        return url
    }

    /// Selects `bench`'s problems as a local run would, and enqueues them with what they run with.
    static func enqueue(
        _ bench: BenchConfiguration, configuration: RunConfiguration, database: String, maxAttempts: Int,
        execution: ExecutionOptions
    ) async throws {
        let session = execution.session(configuration)
        let selection: BenchSelection
        do {
            selection = try await session.benchSelection(bench)
        } catch {
            throw CLIExit(error)
        }
        let plan = BenchPlan(
            name: selection.name, configuration: session.configuration, bench: bench, maxAttempts: maxAttempts,
            problems: selection.problems)
        let output = try await SiblingExecutable.call(
            worker, arguments: ["enqueue"], input: String(decoding: try JSONEncoder().encode(plan), as: UTF8.self),
            environment: ["DATABASE_URL": database], what: what)
        let answer = try decode(Enqueued.self, from: output)
        if execution.json { return Terminal.out(output.trimmingCharacters(in: .whitespacesAndNewlines)) }
        Terminal.out("Enqueued \(answer.problems) problem(s) of \(selection.name) as bench \(answer.benchID).")
        Terminal.note(
            "Run them with 'autocoder worker --database …' on any number of machines; follow them with "
                + "'autocoder bench status \(answer.benchID)' and 'autocoder bench results \(answer.benchID)'.")
    }

    /// `autocoder-worker`'s answer, read.
    static func decode<T: Decodable>(_ type: T.Type, from output: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(output.utf8))
        } catch {
            throw CLIExit.toolFailure("\(worker) answered something unreadable: \(output.prefix(200))")
        }
    }

    struct Enqueued: Decodable {
        var benchID: String
        var problems: Int
        enum CodingKeys: String, CodingKey {
            case benchID = "bench_id"
            case problems
        }
    }
}

/// `autocoder bench status [ID]`: how far a queued bench (or every one) has come.
struct BenchStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show how far a bench on a PostgreSQL queue has come (every bench's without an ID).",
        discussion: "Exit codes: 0 · 2 bad input (no such bench, a bad URL) · 3 the database does not answer.")

    @Argument(help: "The bench id 'bench … --database' printed.") var benchID: String?
    @Option(help: "The PostgreSQL URL. (default: $DATABASE_URL)") var database: String?
    @Flag(help: "Print the status as JSON (one object with an ID, else an array).") var json = false

    func run() async throws {
        let output = try await SiblingExecutable.call(
            QueuedBench.worker, arguments: ["status"] + (benchID.map { [$0] } ?? []),
            environment: ["DATABASE_URL": try QueuedBench.address(database)], what: QueuedBench.what)
        let found = try QueuedBench.decode([BenchStatus].self, from: output)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = benchID == nil ? try encoder.encode(found) : try encoder.encode(found[0])
            return Terminal.out(String(decoding: data, as: UTF8.self))
        }
        let rows =
            [["BENCH", "NAME", "PROBLEMS", "DONE", "FAILED", "RUNNING", "QUEUED", "ATTEMPTS", "REFUSED", "SECONDS"]]
            + found.map {
                [
                    $0.benchID, $0.name, "\($0.problems)", "\($0.done)", "\($0.failed)", "\($0.running)",
                    "\($0.queued)", "\($0.attempts)", "\($0.refusedResults)", String(format: "%.1f", $0.wallSeconds),
                ]
            }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            Terminal.out(
                row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
    }
}

/// `autocoder bench results ID`: a queued bench's results, as a local bench reports them.
struct BenchResultsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "results",
        abstract: "Report a bench that ran on a PostgreSQL queue, as a local bench does.",
        discussion: """
            The problems still queued or running are left out (and counted on stderr). A problem whose workers were \
            lost --max-attempts times counts as not solved, with outcome infrastructure_error and the reason. \
            Exit codes: 0 · 2 bad input (no such bench, a bad URL) · 3 the database does not answer.
            """)

    @Argument(help: "The bench id 'bench … --database' printed.") var benchID: String
    @Option(help: "The PostgreSQL URL. (default: $DATABASE_URL)") var database: String?
    @Flag(help: "Print the result as JSON (the document bench --json prints).") var json = false
    @Option(help: ArgumentHelp("Also write a Markdown report with an SVG chart into this directory.", valueName: "dir"))
    var report: String?

    struct Answer: Decodable {
        var status: BenchStatus
        var summary: BenchSummary
    }

    func run() async throws {
        let output = try await SiblingExecutable.call(
            QueuedBench.worker, arguments: ["results", benchID],
            environment: ["DATABASE_URL": try QueuedBench.address(database)], what: QueuedBench.what)
        let answer = try QueuedBench.decode(Answer.self, from: output)
        let (status, summary) = (answer.status, answer.summary)
        if !status.finished {
            Terminal.note(
                "\(status.queued + status.running) of \(status.problems) problem(s) are still queued or running; "
                    + "they are left out.")
        }
        if json { try Terminal.json(summary) } else { BenchTable.print(summary) }
        if let report {
            do {
                let file = try BenchReport.write(
                    summary, title: "\(summary.dataset): bench \(benchID)", to: URL(fileURLWithPath: report))
                Terminal.note("Report written to \(file.path)")
            } catch {
                throw CLIExit.toolFailure("could not write the report to \(report): \(error.localizedDescription)")
            }
        }
    }
}

/// `autocoder worker`: claims and runs queued problems. It is `autocoder-worker run`, which replaces this process.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Claim and run the problems of benches on a PostgreSQL queue ('bench … --database').",
        discussion: """
            Run any number of workers, on any machines that reach the database. Each claims a problem with SELECT … \
            FOR UPDATE SKIP LOCKED under a lease it renews while it works; a worker that dies loses its lease and \
            another takes the problem over (up to the bench's --max-attempts claims). A result written after the \
            lease was taken over is refused by the lease's fencing token, so each problem counts once. Generators \
            open with this machine's environment (its API keys); runs are recorded in its own store when the bench \
            records. SIGINT or SIGTERM gives the problems in progress back and exits 0. It runs `autocoder-worker`, \
            built with `swift build --product autocoder-worker`. See docs/commands.md#queue.
            """)

    @Option(help: "The PostgreSQL URL. (default: $DATABASE_URL)") var database: String?
    @Option(help: "Problems run at once. (default: the number of cores)") var jobs: Int?
    @Option(help: "Seconds a claim holds a problem unless renewed (renewed every third of it). (default: 30)")
    var lease: Double?
    @Flag(help: "Stop once no problem is queued or running (for batch jobs and tests).") var exitWhenIdle = false
    @Option(
        help: ArgumentHelp(
            "Where the runs of benches enqueued with --record go: a SQLite file, or a postgres:// URL that every "
                + "worker shares (then 'runs list', 'replay' and 'serve' see them all). (default: this machine's store)",
            valueName: "path|url"))
    var store: String?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1 (it is \(jobs)).") }
        if let lease, lease < 1 { throw ValidationError("--lease must be at least 1 second (it is \(lease)).") }
    }

    func run() throws {
        setenv("DATABASE_URL", try QueuedBench.address(database), 1)
        var arguments = ["run"]
        if let jobs { arguments += ["--jobs", String(jobs)] }
        if let lease { arguments += ["--lease", String(lease)] }
        if exitWhenIdle { arguments.append("--exit-when-idle") }
        if let store { arguments += ["--store", store] }
        try SiblingExecutable.exec(QueuedBench.worker, arguments: arguments, what: QueuedBench.what)
    }
}
