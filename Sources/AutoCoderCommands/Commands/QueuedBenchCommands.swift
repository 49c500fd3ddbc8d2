import ArgumentParser
import AutoCoder
import AutoCoderApp
import AutoCoderBench
import Foundation

#if Postgres
    import AutoCoderPostgres
    import AutoCoderWorker
#endif

/// The benches that run on a PostgreSQL queue (`AutoCoderWorker`, linked with the `Postgres` trait).
enum QueuedBench {
    /// The database's address: the option, else `DATABASE_URL`.
    static func address(_ option: String?) throws -> String {
        guard let url = option ?? ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
            throw CLIExit.badInput("no database: give --database postgres://… or set DATABASE_URL.")
        }
        return url
    }

    #if Postgres
        /// `body` on the queue at `option` (or `DATABASE_URL`); the database's refusals become the CLI's exits (2 for
        /// a bad address or an unknown bench, 3 when it does not answer).
        static func with<T>(_ option: String?, _ body: (QueueAccess) async throws -> T) async throws -> T {
            do {
                return try await body(try QueueAccess(url: try address(option)))
            } catch let error as DatabaseError {
                throw error.isBadInput ? CLIExit.badInput(error.description) : CLIExit.toolFailure(error.description)
            }
        }
    #else
        /// Without the Postgres trait there is no queue to reach: the commands say how to build one that has it.
        static func with<T>(_ option: String?, _ body: (QueueAccess) async throws -> T) async throws -> T {
            _ = try address(option)
            throw OptionalPart.postgres.missing
        }

        /// What the commands call on the queue, in a build that has none (no value of it exists).
        enum QueueAccess {
            func enqueue(_ plan: BenchPlan) async throws -> String { switch self {} }
            func status(_ benchID: String?) async throws -> [BenchStatus] { switch self {} }
            func results(_ benchID: String) async throws -> (status: BenchStatus, summary: BenchSummary) {
                switch self {}
            }
            func work(jobs: Int, lease: Duration, exitWhenIdle: Bool, store: String?) async throws { switch self {} }
        }
    #endif

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
        let benchID = try await with(database) { try await $0.enqueue(plan) }
        if execution.json {
            return Terminal.out(#"{"bench_id":"\#(benchID)","problems":\#(plan.problems.count)}"#)
        }
        Terminal.out("Enqueued \(plan.problems.count) problem(s) of \(selection.name) as bench \(benchID).")
        Terminal.note(
            "Run them with 'autocoder worker --database …' on any number of machines; follow them with "
                + "'autocoder bench status \(benchID)' and 'autocoder bench results \(benchID)'.")
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
        let benchID = benchID
        let found = try await QueuedBench.with(database) { try await $0.status(benchID) }
        if json {
            let encoder = JSONDocument.encoder()
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

    func run() async throws {
        let benchID = benchID
        let (status, summary) = try await QueuedBench.with(database) { try await $0.results(benchID) }
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

/// `autocoder worker`: claims and runs queued problems until stopped (SIGINT or SIGTERM gives the problems in
/// progress back and exits 0) or, with --exit-when-idle, until none is left.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Claim and run the problems of benches on a PostgreSQL queue ('bench … --database').",
        discussion: """
            Run any number of workers, on any machines that reach the database. Each claims a problem with SELECT … \
            FOR UPDATE SKIP LOCKED under a lease it renews while it works; a worker that dies loses its lease and \
            another takes the problem over (up to the bench's --max-attempts claims). A result written after the \
            lease was taken over is refused by the lease's fencing token, so each problem counts once. Generators \
            open with this machine's environment (its API keys); runs are recorded in its own store when the bench \
            records. SIGINT or SIGTERM gives the problems in progress back and exits 0. A password in --database is \
            hidden from the process list. Needs the Postgres trait (`swift build --traits Postgres`; releases have \
            it). See docs/commands.md#queue.
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

    func run() async throws {
        let (jobs, lease, exitWhenIdle, store) = (
            jobs ?? ProcessInfo.processInfo.activeProcessorCount, Duration.milliseconds(Int((lease ?? 30) * 1000)),
            exitWhenIdle, store
        )
        do {
            try await QueuedBench.with(database) { queue in
                try await queue.work(jobs: jobs, lease: lease, exitWhenIdle: exitWhenIdle, store: store)
            }
        } catch is CancellationError {
            return  // a stop: the problems in progress were given back
        }
    }
}
