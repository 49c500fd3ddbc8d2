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
        defer { withExtendedLifetime(server) {} }
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
        defer { withExtendedLifetime(server) {} }
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
        defer { withExtendedLifetime(server) {} }
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
        defer { withExtendedLifetime(server) {} }
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
        defer { withExtendedLifetime(server) {} }
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
        // The worker's command line (which any user can read) no longer holds the password it was given in
        // --database; its connections use TLS.
        let arguments = try String(
            contentsOfFile: "/proc/\(worker.process.processIdentifier)/cmdline", encoding: .utf8)
        #expect(arguments.contains("worker") && arguments.contains("--database"), "\(arguments)")
        #expect(!arguments.contains(server.password), "\(arguments)")
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

    @Test func everyWorkersRunsLandInOneStoreThatRunsReplayAndServeRead() async throws {
        let server = try await PostgresServer()
        defer { withExtendedLifetime(server) {} }
        let directory = try TemporaryDirectory()
        let set = try slowTaskSet(4, seconds: 0.1, in: directory)
        _ = try await enqueue(set, on: server, ["--record"])
        let workers = try (0..<2).map {
            try WorkerProcess(
                database: server.url, password: server.password,
                arguments: ["--jobs", "1", "--exit-when-idle", "--store", server.url],
                log: directory.url.appendingPathComponent("worker\($0).log"))
        }
        for worker in workers { #expect(await worker.exit(within: 60) == 0, "\(worker.stderr)") }
        let environment = ["PGPASSWORD": server.password]
        // The core CLI hands a postgres:// --store to autocoder-worker cli; a solve and its replay land there too.
        let script = try directory.write("replies.json", #"["```python\ndef add(a, b):\n    return a + b\n```"]"#)
        let solved = try await CLI.run(
            [
                "solve", "examples/demo", "--provider", "script", "--script", script.path, "--store", server.url,
                "--json",
            ],
            environment: environment)
        #expect(solved.code == 0, "\(solved.stderr)")
        let runID = try #require(try solved.json()["run_id"] as? String)
        let replayed = try await CLI.run(["replay", runID, "--store", server.url], environment: environment)
        #expect(replayed.code == 0 && replayed.stdout.contains("Same as the recording"), "\(replayed.stderr)")
        let listed = try await CLI.run(["runs", "list", "--store", server.url, "--json"], environment: environment)
        let runs = try #require(
            try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]], "\(listed.stderr)")
        #expect(runs.count == 6 && runs.allSatisfy { $0["solved"] as? Bool == true })
        #expect(try await server.query("SELECT count(DISTINCT pid) FROM autocoder_store.run") == "4")
        // The HTTP API (and so the web page) lists every one of them.
        let home = try TemporaryDirectory()
        let serve = try ServeCommandTests.Running(["--store", server.url], home: home.url, environment: environment)
        defer { serve.stop() }
        let response = try await serve.curl([serve.url("/v1/runs?limit=50")])
        let served = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        #expect((served?["runs"] as? [Any])?.count == 6, "\(response.body)")
    }

    @Test func badQueueInputIsRefusedWithExitTwo() async throws {
        let server = try await PostgresServer()
        defer { withExtendedLifetime(server) {} }
        let environment = ["PGPASSWORD": server.password, "DATABASE_URL": ""]
        let unknown = try await CLI.run(
            ["bench", "results", "no-such-bench", "--database", server.url], environment: environment)
        #expect(unknown.code == 2 && unknown.stderr.contains("no bench no-such-bench"), "\(unknown.stderr)")
        let noDatabase = try await CLI.run(
            ["bench", "status"], environment: ["DATABASE_URL": ""])
        #expect(noDatabase.code == 2 && noDatabase.stderr.contains("no database"), "\(noDatabase.stderr)")
        let notPostgres = try await CLI.run(["worker", "--database", "mysql://x@y/z"])
        #expect(notPostgres.code == 2 && notPostgres.stderr.contains("postgres:// URL"), "\(notPostgres.stderr)")
        let attemptsAlone = try await CLI.run(["bench", "humaneval", "--max-attempts", "2"])
        #expect(attemptsAlone.code == 2 && attemptsAlone.stderr.contains("--max-attempts goes with --database"))
    }
}

/// Workers as hosts of their own: each in a network namespace, reaching the database over a veth pair, so that
/// their traffic crosses a real network path; one worker's link is cut mid-run.
@Suite(.serialized) struct QueueNetworkTests {
    /// Runs `ip` with `arguments`, failing the test when it fails.
    func ip(_ arguments: [String]) async throws {
        let result = try await ProcessRunner().run(
            ProcessRequest(
                executable: "/usr/sbin/ip", arguments: arguments, environment: ["PATH": "/usr/sbin:/usr/bin:/bin"],
                workingDirectory: "/tmp", timeout: .seconds(30)))
        try #require(result.shellExitCode == 0, "ip \(arguments.joined(separator: " ")): \(result.standardError.text)")
    }

    @Test func aWorkerCutOffMidRunLosesItsProblemToAnotherHost() async throws {
        try #require(getuid() == 0, "network namespaces need root (CI runs as root)")
        let tag = getpid() % 100_000
        let subnet = 2 + Int(getpid() % 120) * 2  // two /24s below 10.231.242.0
        let hosts = [
            ("acw\(tag)a", "ach\(tag)a", "acn\(tag)a", subnet), ("acw\(tag)b", "ach\(tag)b", "acn\(tag)b", subnet + 1),
        ]
        defer {
            for (namespace, _, _, _) in hosts { _ = try? Self.run(["netns", "del", namespace]) }
        }
        for (namespace, hostSide, namespaceSide, net) in hosts {
            try await ip(["netns", "add", namespace])
            try await ip(["link", "add", hostSide, "type", "veth", "peer", "name", namespaceSide])
            try await ip(["link", "set", namespaceSide, "netns", namespace])
            try await ip(["addr", "add", "10.231.\(net).1/24", "dev", hostSide])
            try await ip(["link", "set", hostSide, "up"])
            try await ip(["netns", "exec", namespace, "ip", "addr", "add", "10.231.\(net).2/24", "dev", namespaceSide])
            try await ip(["netns", "exec", namespace, "ip", "link", "set", namespaceSide, "up"])
            try await ip(["netns", "exec", namespace, "ip", "link", "set", "lo", "up"])
        }
        let server = try await PostgresServer(listen: hosts.map { "10.231.\($0.3).1" })
        defer { withExtendedLifetime(server) {} }
        let directory = try TemporaryDirectory()
        let set = try slowTaskSet(8, seconds: 1, in: directory)
        let enqueued = try await CLI.run(
            ["bench", set, "--oracle", "canonical", "--database", server.url, "--json"],
            environment: ["PGPASSWORD": server.password])
        let id = try #require(try enqueued.json()["bench_id"] as? String)
        let workers = try hosts.map { (namespace, _, _, net) in
            try WorkerProcess(
                database: server.url(host: "10.231.\(net).1"), password: server.password,
                arguments: ["--jobs", "1", "--lease", "2", "--exit-when-idle"],
                log: directory.url.appendingPathComponent("\(namespace).log"),
                prefix: ["/usr/sbin/ip", "netns", "exec", namespace])
        }
        // Both workers talk to the server from their own addresses.
        try await server.wait(
            until:
                "SELECT string_agg(DISTINCT host(client_addr), ',' ORDER BY host(client_addr)) FROM pg_stat_activity "
                + "WHERE application_name = 'autocoder-worker'",
            is: hosts.map { "10.231.\($0.3).2" }.joined(separator: ","))
        try await server.wait(
            until: "SELECT count(*) FROM autocoder_problems WHERE state = 'running' AND leased_by LIKE '%:"
                + "\(workers[0].process.processIdentifier)'", is: "1")
        try await ip(["link", "set", hosts[0].1, "down"])
        // The other host takes the cut-off worker's problem over once its lease runs out, and finishes the bench.
        try await server.wait(
            until: "SELECT count(*) FROM autocoder_problems WHERE state = 'done'", is: "8", seconds: 90)
        #expect(await workers[1].exit(within: 60) == 0, "\(workers[1].stderr)")
        #expect(workers[1].stderr.contains("attempt 2"))
        // Back on the network, the cut-off worker's late result is refused and it stops.
        try await ip(["link", "set", hosts[0].1, "up"])
        #expect(await workers[0].exit(within: 120) == 0, "\(workers[0].stderr)")
        #expect(
            try await server.query("SELECT sum(refused_results) FROM autocoder_problems") == "1", "\(workers[0].stderr)"
        )
        let results = try await CLI.run(
            ["bench", "results", id, "--database", server.url, "--json"], environment: ["PGPASSWORD": server.password])
        let summary = try results.json()
        let solved = ((summary["results"] as? [[String: Any]]) ?? []).filter { $0["solved"] as? Bool == true }
        #expect(solved.compactMap { $0["task_id"] as? String } == (0..<8).map { String(format: "p%02d", $0) })
    }

    /// `ip` for the cleanup, which cannot wait.
    static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
    }
}
