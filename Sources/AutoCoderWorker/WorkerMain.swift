import ArgumentParser
import AutoCoderApp
import AutoCoderBench
import AutoCoderCommands
import AutoCoderPostgres
import AutoCoderProcess
import Foundation

/// `autocoder-worker`: everything that speaks to PostgreSQL, in an executable of its own so that the core CLI never
/// builds postgres-nio. `autocoder worker` execs `run`; `autocoder bench … --database`, `bench status` and
/// `bench results` run the others and print what they answer. The database's address comes from
/// `DATABASE_URL` (so that no password shows in a process list), or `--database`.
@main
struct WorkerMain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autocoder-worker",
        abstract: "autocoder's PostgreSQL queue: run queued problems, enqueue a bench, read its progress and results.",
        discussion:
            "'cli ARGUMENTS…' runs autocoder's command line itself (what 'autocoder … --store postgres://…' does).",
        subcommands: [RunWorker.self, Enqueue.self, Status.self, Results.self])

    static func main() async {
        PostgresStoreDatabase.register()
        // `autocoder-worker cli …` is autocoder's own command line, able to open a postgres:// --store.
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "cli" { return await AutoCoderCommands.Main.main(Array(arguments.dropFirst())) }
        signal(SIGPIPE, SIG_IGN)
        let work = Task {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        }
        let stop = StopSignals { work.cancel() }
        defer { stop.cancel() }
        do {
            try await work.value
            ExitCleanup.runAll()
        } catch let error as DatabaseError {
            say("autocoder: \(error.description)")
            ExitCleanup.runAll()
            Foundation.exit(error.isBadInput ? 2 : 3)
        } catch {
            ExitCleanup.runAll()
            exit(withError: error)
        }
    }
}

/// The address every subcommand reads.
struct DatabaseOption: ParsableArguments {
    @Option(help: "The PostgreSQL URL. (default: $DATABASE_URL)") var database: String?

    func address() throws -> DatabaseAddress {
        guard let url = database ?? ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
            throw DatabaseError.badAddress("no database: give --database postgres://… or set DATABASE_URL.")
        }
        return try DatabaseAddress(url)
    }

    /// Runs `body` with the queue at the address, its schema up to date, retrying for up to 30 s while the server
    /// cannot be reached.
    func withQueue<Result: Sendable>(
        _ body: @escaping @Sendable (BenchQueue) async throws -> Result
    ) async throws
        -> Result
    {
        let address = try address()
        return try await BenchQueue.with(address) { queue in
            var delay = Duration.milliseconds(200)
            let deadline = ContinuousClock.now + .seconds(30)
            while true {
                do {
                    try await queue.open()
                    return try await body(queue)
                } catch {
                    if Task.isCancelled { throw CancellationError() }
                    guard DatabaseError.isTransient(error) else {
                        throw error as? DatabaseError
                            ?? DatabaseError.unavailable(
                                "the database at \(address) refused: \(DatabaseError.describing(error))")
                    }
                    guard ContinuousClock.now + delay < deadline else {
                        throw DatabaseError.unavailable(
                            "the database at \(address) does not answer: \(DatabaseError.describing(error))")
                    }
                    try await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(5))
                }
            }
        }
    }
}

struct RunWorker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Claim and run queued problems.")

    @OptionGroup var database: DatabaseOption
    @Option(help: "Problems run at once. (default: the number of cores)") var jobs: Int?
    @Option(help: "Seconds a claim holds a problem unless renewed (renewed every third of it). (default: 30)")
    var lease: Double = 30
    @Flag(help: "Stop once no problem is queued or running.") var exitWhenIdle = false
    @Option(
        help: "The run store for benches that record: a SQLite file or a postgres:// URL. (default: this machine's)")
    var store: String?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1 (it is \(jobs)).") }
        if lease < 1 { throw ValidationError("--lease must be at least 1 second (it is \(lease)).") }
    }

    func run() async throws {
        let address = try database.address()
        let (jobs, lease, exitWhenIdle, store) = (
            jobs ?? ProcessInfo.processInfo.activeProcessorCount, Duration.milliseconds(Int(lease * 1000)),
            exitWhenIdle, store
        )
        let name = "\(ProcessInfo.processInfo.hostName):\(getpid())"
        say("\(name) using \(address)")
        try await BenchQueue.with(address) { queue in
            do {
                try await Worker(
                    queue: queue, name: name, jobs: jobs, lease: lease, exitWhenIdle: exitWhenIdle,
                    poll: .seconds(2), store: store ?? RunConfiguration().store
                ).run()
            } catch {
                throw DatabaseError.unavailable(
                    "the database at \(address) refused: \(DatabaseError.describing(error))")
            }
        }
    }
}

struct Enqueue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Enqueue the bench plan (JSON) read from stdin; print {\"bench_id\", \"problems\"}.")

    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let input = FileHandle.standardInput.readDataToEndOfFile()
        let plan: BenchPlan
        do {
            plan = try JSONDecoder().decode(BenchPlan.self, from: input)
        } catch {
            throw DatabaseError.badAddress("the bench plan on stdin is not valid: \(error)")
        }
        var kept = plan
        kept.problems = []
        let stored = try JSONEncoder().encode(kept)
        let id = try await database.withQueue { queue in
            try await queue.enqueue(
                name: plan.name, plan: stored, problems: plan.problems, maxAttempts: plan.maxAttempts)
        }
        print(#"{"bench_id":"\#(id)","problems":\#(plan.problems.count)}"#)
    }
}

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print where a bench stands (every bench's without an ID), as JSON.")

    @OptionGroup var database: DatabaseOption
    @Argument var benchID: String?

    func run() async throws {
        let benchID = benchID
        let found = try await database.withQueue { try await $0.status(benchID) }
        try printJSON(found)
    }
}

struct Results: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a bench's status and its results as a bench summary, as JSON.")

    @OptionGroup var database: DatabaseOption
    @Argument var benchID: String

    func run() async throws {
        let benchID = benchID
        let (status, results, plan) = try await database.withQueue { queue in
            let (status, results) = try await queue.results(benchID)
            return (status, results, try JSONDecoder().decode(BenchPlan.self, from: try await queue.plan(of: benchID)))
        }
        let summary = BenchSummary(
            dataset: status.name, results: results, wallSeconds: status.wallSeconds, interrupted: false,
            impossible: plan.bench.impossible)
        try printJSON(QueuedResults(status: status, summary: summary))
    }
}

/// `value` as one line of JSON on stdout, keys sorted: what the CLI reads back.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// What `results` prints: where the bench stands, and its summary so far.
struct QueuedResults: Codable {
    var status: BenchStatus
    var summary: BenchSummary
}

/// Cancels the work on SIGINT or SIGTERM: problems in progress are given back to the queue, and the worker exits 0.
final class StopSignals: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(_ stop: @escaping @Sendable () -> Void) {
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop() }
            source.resume()
            return source
        }
    }

    func cancel() { for source in sources { source.cancel() } }
}
