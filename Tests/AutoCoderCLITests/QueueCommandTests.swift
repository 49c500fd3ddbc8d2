import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

/// `bench … --database`, `worker`, `bench status` and `bench results` on a real PostgreSQL server, with real worker
/// processes killed, stopped, cut off and left without their database.
@Suite(.serialized) struct QueueCommandTests {
    /// Enqueues `set` on `server` and returns the bench's id.
    func enqueue(_ set: String, on server: PostgresServer, _ extra: [String] = []) async throws -> String {
        let run = try await CLI.run(
            ["bench", set, "--oracle", "canonical", "--database", server.url, "--json"] + extra,
            environment: ["PGPASSWORD": server.password])
        try #require(run.code == 0, "enqueue failed: \(run.stderr)")
        let answer = try run.json()
        return try #require(answer["bench_id"] as? String)
    }

    /// `bench results ID --json`, parsed.
    func results(_ id: String, on server: PostgresServer) async throws -> [String: Any] {
        let run = try await CLI.run(
            ["bench", "results", id, "--database", server.url, "--json"], environment: ["PGPASSWORD": server.password])
        try #require(run.code == 0, "results failed: \(run.stderr)")
        return try run.json()
    }

    /// Each task's outcome in `summary`, in order.
    func outcomes(_ summary: [String: Any]) -> [String] {
        ((summary["results"] as? [[String: Any]]) ?? []).map {
            "\($0["task_id"] ?? "?"):\($0["solved"] as? Bool == true ? "solved" : "\($0["outcome"] ?? "?")")"
        }
    }

    func expected(_ count: Int) -> [String] { (0..<count).map { String(format: "p%02d:solved", $0) } }

    @Test func threeWorkersOneKilledEveryProblemFinishesExactlyOnce() async throws {
        let server = try await PostgresServer()
        defer { Task { await server.stop() } }
        let directory = try TemporaryDirectory()
        let set = try slowTaskSet(12, seconds: 0.4, in: directory)
        let id = try await enqueue(set, on: server)
        let workers = try (0..<3).map {
            try WorkerProcess(
                database: server.url, password: server.password,
                arguments: ["--jobs", "1", "--lease", "2", "--exit-when-idle"],
                log: directory.url.appendingPathComponent("worker\($0).log"))
        }
        // Killed while it holds a problem: its lease runs out and another worker takes the problem over.
        try await server.wait(
            until: "SELECT count(*) >= 3 FROM autocoder_problems WHERE state = 'done'", is: "t")
        try await server.wait(
            until: "SELECT count(*) FROM autocoder_problems WHERE state = 'running' AND leased_by LIKE '%:"
                + "\(workers[0].process.processIdentifier)'", is: "1")
        workers[0].signal(SIGKILL)
        for worker in workers.dropFirst() {
            #expect(await worker.exit(within: 120) == 0, "\(worker.stderr)")
        }
        _ = await workers[0].exit(within: 1)
        let summary = try await results(id, on: server)
        #expect(outcomes(summary) == expected(12))
        #expect(try await server.query("SELECT count(*), sum(attempts) > 12 FROM autocoder_problems") == "12|t")
        #expect(workers.dropFirst().contains { $0.stderr.contains("attempt 2") })
        let status = try await CLI.run(
            ["bench", "status", id, "--database", server.url, "--json"], environment: ["PGPASSWORD": server.password])
        let parsed = try status.json()
        #expect(parsed["done"] as? Int == 12 && parsed["finished"] as? Bool == true && parsed["failed"] as? Int == 0)
    }

    @Test func aStalledWorkersLateResultIsRefused() async throws {
        let server = try await PostgresServer()
        defer { Task { await server.stop() } }
        let directory = try TemporaryDirectory()
        let set = try slowTaskSet(1, seconds: 3, in: directory)
        let id = try await enqueue(set, on: server)
        let stalled = try WorkerProcess(
            database: server.url, password: server.password,
            arguments: ["--jobs", "1", "--lease", "1", "--exit-when-idle"],
            log: directory.url.appendingPathComponent("stalled.log"))
        try await server.wait(until: "SELECT state FROM autocoder_problems", is: "running")
        stalled.signal(SIGSTOP)
        // Past its lease, another worker takes the problem over and finishes it.
        let other = try WorkerProcess(
            database: server.url, password: server.password,
            arguments: ["--jobs", "1", "--lease", "1", "--exit-when-idle"],
            log: directory.url.appendingPathComponent("other.log"))
        try await server.wait(until: "SELECT attempts FROM autocoder_problems", is: "2")
        stalled.signal(SIGCONT)
        #expect(await other.exit(within: 60) == 0, "\(other.stderr)")
        #expect(await stalled.exit(within: 60) == 0, "\(stalled.stderr)")
        #expect(try await server.query("SELECT state, attempts, refused_results FROM autocoder_problems") == "done|2|1")
        #expect(stalled.stderr.contains("lost the lease") || stalled.stderr.contains("its result is refused"))
        #expect(stalled.stderr.contains("1 result(s) refused"), "\(stalled.stderr)")
        #expect(outcomes(try await results(id, on: server)) == expected(1))
    }

    @Test func workersRideOutADatabaseRestart() async throws {
        let server = try await PostgresServer()
        defer { Task { await server.stop() } }
        let directory = try TemporaryDirectory()
        let set = try slowTaskSet(8, seconds: 0.5, in: directory)
        let id = try await enqueue(set, on: server)
        let workers = try (0..<2).map {
            try WorkerProcess(
                database: server.url, password: server.password,
                arguments: ["--jobs", "1", "--lease", "5", "--exit-when-idle"],
                log: directory.url.appendingPathComponent("worker\($0).log"))
        }
        try await server.wait(until: "SELECT count(*) >= 2 FROM autocoder_problems WHERE state = 'done'", is: "t")
        try await server.restart(down: 3)
        for worker in workers { #expect(await worker.exit(within: 120) == 0, "\(worker.stderr)") }
        #expect(outcomes(try await results(id, on: server)) == expected(8))
        // Problems finished both before and after the restart, and the workers saw the database go away.
        #expect(
            try await server.query(
                "SELECT count(*) FILTER (WHERE finished_at > pg_postmaster_start_time()) BETWEEN 1 AND 6 "
                    + "FROM autocoder_problems") == "t")
        #expect(workers.contains { $0.stderr.contains("the database answers again") }, "\(workers.map(\.stderr))")
    }

    @Test func aProblemWhoseWorkersDieTooOftenIsMarkedFailed() async throws {
        let server = try await PostgresServer()
        defer { Task { await server.stop() } }
        let directory = try TemporaryDirectory()
        let set = try slowTaskSet(2, seconds: 2, in: directory)
        let id = try await enqueue(set, on: server, ["--max-attempts", "1"])
        let doomed = try WorkerProcess(
            database: server.url, password: server.password, arguments: ["--jobs", "1", "--lease", "1"],
            log: directory.url.appendingPathComponent("doomed.log"))
        try await server.wait(until: "SELECT count(*) FROM autocoder_problems WHERE state = 'running'", is: "1")
        doomed.signal(SIGKILL)
        _ = await doomed.exit(within: 5)
        let survivor = try WorkerProcess(
            database: server.url, password: server.password,
            arguments: ["--jobs", "1", "--lease", "1", "--exit-when-idle"],
            log: directory.url.appendingPathComponent("survivor.log"))
        #expect(await survivor.exit(within: 60) == 0, "\(survivor.stderr)")
        let summary = try await results(id, on: server)
        #expect(outcomes(summary) == ["p00:infrastructure_error", "p01:solved"])
        let failed = try #require((summary["results"] as? [[String: Any]])?.first)
        #expect((failed["message"] as? String)?.contains("stopped renewing the lease 1 time(s)") == true)
    }

    @Test func credentialsStayOutOfOutputArgumentsAndTheDatabaseAndTheLinkIsEncrypted() async throws {
        let server = try await PostgresServer()
        defer { Task { await server.stop() } }
        let directory = try TemporaryDirectory()
        let set = try slowTaskSet(2, seconds: 0.1, in: directory)
        let enqueued = try await CLI.run(
            ["bench", set, "--oracle", "canonical", "--database", server.urlWithPassword + "?sslmode=require"])
        #expect(enqueued.code == 0, "\(enqueued.stderr)")
        #expect(!(enqueued.stdout + enqueued.stderr).contains(server.password))
        let worker = try WorkerProcess(
            database: server.urlWithPassword + "?sslmode=require", password: "", arguments: ["--jobs", "1"],
            log: directory.url.appendingPathComponent("worker.log"))
        try await server.wait(until: "SELECT count(*) FROM autocoder_problems WHERE state = 'done'", is: "2")
        // The worker's command line (which any user can read) holds no password; its connections use TLS.
        let arguments = try String(
            contentsOfFile: "/proc/\(worker.process.processIdentifier)/cmdline", encoding: .utf8)
        #expect(arguments.contains("autocoder-worker") && !arguments.contains(server.password))
        #expect(
            try await server.query(
                "SELECT bool_and(s.ssl), count(*) > 0 FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) "
                    + "WHERE a.application_name = 'autocoder-worker'") == "t|t")
        worker.signal(SIGTERM)
        #expect(await worker.exit(within: 30) == 0)
        #expect(!worker.stderr.contains(server.password) && worker.stderr.contains("stopped: 2 problem(s) finished"))
        #expect(
            try await server.query(
                "SELECT count(*) FROM autocoder_benches WHERE plan::text LIKE '%" + server.password + "%'") == "0")
        let wrong = try await CLI.run(
            [
                "bench", "status", "--database",
                server.url.replacingOccurrences(of: "autocoder@", with: "autocoder:nope@"),
            ])
        #expect(wrong.code == 3 && wrong.stderr.contains("password authentication failed"), "\(wrong.stderr)")
        #expect(!wrong.stderr.contains("nope"))
    }

    @Test func badQueueInputIsRefusedWithExitTwo() async throws {
        let server = try await PostgresServer()
        defer { Task { await server.stop() } }
        let environment = ["PGPASSWORD": server.password, "AUTOCODER_DATABASE_URL": ""]
        let unknown = try await CLI.run(
            ["bench", "results", "no-such-bench", "--database", server.url], environment: environment)
        #expect(unknown.code == 2 && unknown.stderr.contains("no bench no-such-bench"), "\(unknown.stderr)")
        let noDatabase = try await CLI.run(
            ["bench", "status"], environment: ["AUTOCODER_DATABASE_URL": ""].filter { !$0.value.isEmpty })
        #expect(noDatabase.code == 2 && noDatabase.stderr.contains("no database"), "\(noDatabase.stderr)")
        let notPostgres = try await CLI.run(["worker", "--database", "mysql://x@y/z"])
        #expect(notPostgres.code == 2 && notPostgres.stderr.contains("postgres:// URL"), "\(notPostgres.stderr)")
        let attemptsAlone = try await CLI.run(["bench", "humaneval", "--max-attempts", "2"])
        #expect(attemptsAlone.code == 2 && attemptsAlone.stderr.contains("--max-attempts goes with --database"))
    }
}
