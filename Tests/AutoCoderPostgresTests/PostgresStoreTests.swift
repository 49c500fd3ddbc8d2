import AutoCoder
import AutoCoderExecution
import AutoCoderPostgres
import AutoCoderStore
import AutoCoderTestSupport
import Foundation
import Testing

/// The run store on a real PostgreSQL server records and reads back exactly what the SQLite store does.
@Suite(.serialized) struct PostgresStoreTests {
    /// One run's events: a wrong reply, then a right one.
    func events(runID: String) async -> [CodingEvent] {
        let task = CodingTask(
            description: "Write a\nsecond line", tests: [CodeFile(path: "test_x.py", content: "def test_a(): pass\n")])
        let coder = AutonomousCoder(
            generator: ScriptedGenerator(
                replies: ["wrong", "```python\nCORRECT = 1\n```"], languages: Toolchains.languages),
            executor: StubExecutor())
        let log = Log()
        _ = await coder.solve(task, runID: runID) { log.append($0) }
        return log.events
    }

    /// `run` without the times at which it was written (each store stamps its own).
    func timeless(_ run: StoredRun) -> StoredRun {
        var run = run
        run.summary.startedAt = Date(timeIntervalSince1970: 0)
        run.summary.finishedAt = nil
        return run
    }

    @Test func recordsAndReadsWhatTheSQLiteStoreDoes() async throws {
        let server = try await PostgresServer()
        defer { withExtendedLifetime(server) {} }
        PostgresStoreDatabase.register()
        let directory = try TemporaryDirectory()
        let sqlite = try RunStore(path: directory.url.appendingPathComponent("runs.sqlite").path)
        let postgres = try RunStore(path: server.urlWithPassword)
        #expect(postgres.path == server.url && !postgres.path.contains(server.password))
        let runID = RunOutcome.newID()
        let task = CodingTask(
            description: "Write a\nsecond line", tests: [CodeFile(path: "test_x.py", content: "def test_a(): pass\n")])
        let recorded = await events(runID: runID)
        for store in [sqlite, postgres] {
            try store.begin(runID: runID, task: task, settings: RunSettings(provider: "script", maxIterations: 5))
            for event in recorded { try store.record(event, runID: runID) }
        }
        let (fromSQLite, fromPostgres) = (try sqlite.run(runID), try postgres.run(runID))
        #expect(timeless(fromPostgres) == timeless(fromSQLite))
        #expect(fromPostgres.steps.count == 2 && fromPostgres.summary.solved == true)
        #expect(fromPostgres.steps[0].testResult?.tests.map(\.outcome) == [.passed, .failed])
        #expect(try postgres.resolve(String(runID.prefix(6))) == runID)
        #expect(try postgres.runs().map(\.id) == [runID] && postgres.runs().first?.testsTotal == 2)
        // A second opening finds the schema up to date; the tables are in a schema of their own.
        _ = try RunStore(path: server.urlWithPassword)
        #expect(try await server.query("SELECT count(*) FROM autocoder_store.store_migrations") == "2")
        #expect(try await server.query("SELECT count(*) FROM autocoder_store.test_case") == "4")
        #expect(try postgres.delete(runID) == runID)
        #expect(try postgres.runs().isEmpty)
        #expect(try await server.query("SELECT count(*) FROM autocoder_store.test_case") == "0")
    }

    @Test func aStoreThatCannotBeReachedOrLoggedIntoSaysSo() async throws {
        let server = try await PostgresServer()
        defer { withExtendedLifetime(server) {} }
        PostgresStoreDatabase.register()
        let wrong = server.url.replacingOccurrences(of: "autocoder@", with: "autocoder:nope@")
        #expect(throws: RunStoreError.self) { try RunStore(path: wrong) }
        do {
            _ = try RunStore(path: wrong)
        } catch let error as RunStoreError {
            #expect(error.message.contains("password authentication failed") && !error.message.contains("nope"))
        }
    }
}

private final class Log: @unchecked Sendable {
    private let lock = NSLock()
    private var all: [CodingEvent] = []
    func append(_ event: CodingEvent) { lock.withLock { all.append(event) } }
    var events: [CodingEvent] { lock.withLock { all } }
}
