import AutoCoder
import AutoCoderStore
import AutoCoderTestSupport
import Foundation
import Testing

@Suite struct RunsCommandTests {
    /// Solves the fizzbuzz example into the store at `store`; returns the run id.
    func solveFizzbuzz(store: String, extra: [String] = []) async throws -> String {
        let run = try await CLI.run(
            [
                "solve", "examples/fizzbuzz", "--provider", "script", "--script", "examples/fizzbuzz/replies.json",
                "--json", "--store", store,
            ] + extra)
        #expect(run.code == 0, "stderr: \(run.stderr)")
        return try #require(try run.json()["run_id"] as? String)
    }

    @Test func solveRecordsARunThatCanBeListedShownExportedAndDeleted() async throws {
        let dir = try TemporaryDirectory()
        let store = dir.url.appendingPathComponent("runs.sqlite").path
        let id = try await solveFizzbuzz(store: store)

        let list = try await CLI.run(["runs", "list", "--store", store, "--json"])
        #expect(list.code == 0)
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(runs.count == 1)
        #expect(runs[0]["id"] as? String == id)
        #expect(runs[0]["status"] as? String == "finished")
        #expect(runs[0]["solved"] as? Bool == true)
        #expect(runs[0]["iterations"] as? Int == 2)
        #expect(runs[0]["provider"] as? String == "script")
        let table = try await CLI.run(["runs", "list", "--store", store])
        #expect(table.stdout.contains(String(id.prefix(8))))

        let show = try await CLI.run(["runs", "show", String(id.prefix(8)), "--store", store])
        #expect(show.code == 0)
        #expect(show.stdout.contains("Iteration 2 · fix"))
        #expect(show.stdout.contains("-    for i in range(n):"))
        #expect(show.stdout.contains("+    for i in range(1, n + 1):"))
        #expect(show.stdout.contains("✗ test_first_fifteen"))

        let shown = try await CLI.run(["runs", "show", id, "--store", store, "--json"])
        let document = try shown.json()
        #expect((document["steps"] as? [[String: Any]])?.count == 2)
        #expect((document["generator_calls"] as? [[String: Any]])?.count == 2)

        let jsonl = try await CLI.run(["runs", "export", id, "--format", "jsonl", "--store", store])
        #expect(jsonl.code == 0)
        #expect(jsonl.stdout.split(separator: "\n").count == 5)

        let delete = try await CLI.run(["runs", "delete", id, "--store", store])
        #expect(delete.code == 0)
        let gone = try await CLI.run(["runs", "show", id, "--store", store])
        #expect(gone.code == 2)
        #expect(gone.stderr.contains("No run"))
    }

    /// A replay checks its attempts with the recorded run's integrity mode unless told otherwise.
    @Test func replayKeepsTheRecordedIntegrityMode() async throws {
        let dir = try TemporaryDirectory()
        let store = dir.url.appendingPathComponent("runs.sqlite").path
        let forged =
            "```python\nimport _pytest.python\n_pytest.python.Function.runtest = lambda self: None\n\n"
            + "def fizzbuzz(n):\n    return []\n```"
        let script = dir.url.appendingPathComponent("replies.json")
        try JSONSerialization.data(withJSONObject: [forged]).write(to: script)
        let solve = try await CLI.run([
            "solve", "examples/fizzbuzz", "--provider", "script", "--script", script.path, "--integrity", "off",
            "--max-iterations", "1", "--json", "--store", store,
        ])
        #expect(solve.code == 0, "without the check the forgery passes: \(solve.stderr)")
        let id = try #require(try solve.json()["run_id"] as? String)

        let same = try await CLI.run(["replay", id, "--store", store, "--json"])
        #expect(try same.json()["same"] as? Bool == true, "\(same.stdout)")
        let strict = try await CLI.run(["replay", id, "--store", store, "--integrity", "strict", "--json"])
        #expect(try strict.json()["same"] as? Bool == false, "\(strict.stdout)")
    }

    @Test func replayOfAnUnchangedRunIsTheSame() async throws {
        let dir = try TemporaryDirectory()
        let store = dir.url.appendingPathComponent("runs.sqlite").path
        let id = try await solveFizzbuzz(store: store)
        let replay = try await CLI.run(["replay", String(id.prefix(6)), "--store", store, "--json"])
        #expect(replay.code == 0, "stderr: \(replay.stderr)")
        let report = try replay.json()
        #expect(report["same"] as? Bool == true)
        #expect(report["replay_of"] as? String == id)
        #expect((report["departures"] as? [Any])?.isEmpty == true)
        let list = try await CLI.run(["runs", "list", "--store", store, "--json"])
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(runs.count == 2)
        #expect(runs.contains { $0["replay_of"] as? String == id && $0["provider"] as? String == "replay" })
        // --events: the replay's events on stdout, the comparison on stderr.
        let events = try await CLI.run(["replay", id, "--store", store, "--events", "--no-store"])
        #expect(events.code == 0, "stderr: \(events.stderr)")
        let types = events.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["type"] as? String
        }
        #expect(types.first == "run.started" && types.last == "run.finished" && types.count > 5, "\(events.stdout)")
        #expect(events.stderr.contains("Same as the recording"))
    }

    @Test func replayReportsWhereItDeparts() async throws {
        let dir = try TemporaryDirectory()
        let store = dir.url.appendingPathComponent("runs.sqlite").path
        let tests = try dir.write("test_slow.py", "from solution import f\n\ndef test_f():\n    assert f() == 1\n")
        let script = try dir.write(
            "replies.json", #"["import time\ndef f():\n    time.sleep(1.5)\n    return 1\n"]"#)
        let solve = try await CLI.run([
            "solve", "--description", "f returns 1", "--tests", tests.path, "--provider", "script", "--script",
            script.path, "--store", store, "--json",
        ])
        #expect(solve.code == 0, "stderr: \(solve.stderr)")
        let id = try #require(try solve.json()["run_id"] as? String)
        // With a shorter timeout the same code now times out, and the recording has no answer for a fix.
        let replay = try await CLI.run(["replay", id, "--store", store, "--timeout", "0.5", "--no-store"])
        #expect(replay.code == 1)
        #expect(replay.stdout.contains("departs from the recording"))
        #expect(replay.stdout.contains("iteration 1: the tests were passed, now timeout"))
        #expect(replay.stdout.contains("the run stopped with tests_passed after 1 iteration(s) then"))
        let list = try await CLI.run(["runs", "list", "--store", store, "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [Any])?.count == 1)
    }

    @Test func aKilledRunIsInterruptedAndTheStoreStaysConsistent() async throws {
        let dir = try TemporaryDirectory()
        let store = dir.url.appendingPathComponent("runs.sqlite").path
        let marker = ProcessProbe.sleepMarker()
        let generator = try dir.write(
            "gen.py",
            """
            import json, os, sys
            request = json.load(sys.stdin)
            if request["type"] == "generate":
                print("def fizzbuzz(n):\\n    return []\\n")
            else:
                os.execvp("sleep", ["sleep", "\(marker)"])
            """)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = [
            "solve", "examples/fizzbuzz", "--provider", "command", "--command", "python3 \(generator.path)",
            "--store", store,
        ]
        process.currentDirectoryURL = CLI.repository
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the second generator call is under way: one step is recorded by then.
        for _ in 0..<1_500 where ProcessProbe.processes(withMarker: marker).isEmpty {
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(!ProcessProbe.processes(withMarker: marker).isEmpty, "the run never reached its second call")
        kill(process.processIdentifier, SIGKILL)
        await process.exited()
        for pid in ProcessProbe.processes(withMarker: marker) { kill(pid, SIGKILL) }

        let reopened = try RunStore(path: store)
        let runs = try reopened.runs()
        #expect(runs.count == 1)
        #expect(runs.first?.status == .interrupted)
        #expect(try reopened.isConsistent())
        let run = try reopened.run(try #require(runs.first?.id))
        #expect(run.steps.count == 1)
        #expect(run.steps.first?.testResult?.outcome == .failed)
        let list = try await CLI.run(["runs", "list", "--store", store])
        #expect(list.stdout.contains("interrupted"))
    }

    @Test func concurrentProcessesLoseNoRows() async throws {
        let dir = try TemporaryDirectory()
        let store = dir.url.appendingPathComponent("runs.sqlite").path
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<4 { group.addTask { try await solveFizzbuzz(store: store) } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        let reopened = try RunStore(path: store)
        let runs = try reopened.runs()
        #expect(Set(runs.map(\.id)) == Set(ids))
        for id in ids { #expect(try reopened.run(id).steps.count == 2) }
    }

    @Test func badStoreInput() async throws {
        let dir = try TemporaryDirectory()
        let store = dir.url.appendingPathComponent("runs.sqlite").path
        _ = try await solveFizzbuzz(store: store)
        let unknown = try await CLI.run(["runs", "show", "ffffffff", "--store", store])
        #expect(unknown.code == 2)
        #expect(unknown.stderr.split(separator: "\n").count == 1)
        let replay = try await CLI.run(["replay", "nope-nope", "--store", store])
        #expect(replay.code == 2)
        let format = try await CLI.run(["runs", "export", "ffff", "--format", "xml", "--store", store])
        #expect(format.code == 2)

        let corrupt = try dir.write("corrupt.sqlite", String(repeating: "not a database ", count: 300))
        let before = try Data(contentsOf: corrupt)
        for arguments in [
            ["runs", "list"], ["solve", "examples/fizzbuzz", "--provider", "command", "--command", "true"],
        ] {
            let run = try await CLI.run(arguments + ["--store", corrupt.path])
            #expect(run.code == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(corrupt.path))
            #expect(run.stderr.contains("Move it aside"))
            #expect(!run.stderr.contains("Fatal error"))
        }
        #expect(try Data(contentsOf: corrupt) == before)
    }

    @Test func aDamagedStoreIsNamedWithTheWayOutAndSolveRunsUnrecorded() async throws {
        let dir = try TemporaryDirectory()
        let store = dir.url.appendingPathComponent("runs.sqlite").path
        _ = try await solveFizzbuzz(store: store)
        // Pages past the header overwritten: still a SQLite file of ours, but malformed.
        let handle = try #require(FileHandle(forUpdatingAtPath: store))
        try handle.seek(toOffset: 4096 * 3)
        try handle.write(contentsOf: Data(repeating: 0xDE, count: 6000))
        try handle.close()

        let list = try await CLI.run(["runs", "list", "--store", store])
        #expect(list.code == 3, "\(list.stderr)")
        #expect(list.stderr.split(separator: "\n").count == 1, "\(list.stderr)")
        #expect(list.stderr.contains("\(store) is damaged") && list.stderr.contains("--no-store"), "\(list.stderr)")
        #expect(!list.stderr.contains("SELECT"), "\(list.stderr)")

        let solve = try await CLI.run(
            [
                "solve", "examples/fizzbuzz", "--provider", "script", "--script", "examples/fizzbuzz/replies.json",
                "--json", "--store", store,
            ])
        #expect(solve.code == 0, "\(solve.stderr)")
        #expect(try solve.json()["solved"] as? Bool == true)
        #expect(solve.stderr.contains("this run is not recorded") && solve.stderr.contains("is damaged"))
    }

    @Test func aStoreThisProcessCannotWriteIsListedAndSolveRunsUnrecorded() async throws {
        let dir = try TemporaryDirectory()
        let store = dir.url.appendingPathComponent("runs.sqlite").path
        let id = try await solveFizzbuzz(store: store)
        // The store's folder bound read-only over itself in a mount namespace of the command's own: read-only even
        // for root, who runs these tests.
        let readOnly = [
            "/usr/bin/unshare", "--mount", "--propagation", "private", "sh", "-c",
            #"mount --bind -o ro "$0" "$0" && exec "$@""#, dir.url.path,
        ]
        let list = try await CLI.run(["runs", "list", "--store", store, "--json"], through: readOnly)
        #expect(list.code == 0, "\(list.stderr)")
        #expect(list.stdout.contains(id))

        let solve = try await CLI.run(
            [
                "solve", "examples/fizzbuzz", "--provider", "script", "--script", "examples/fizzbuzz/replies.json",
                "--json", "--store", store,
            ], through: readOnly)
        #expect(solve.code == 0, "\(solve.stderr)")
        #expect(try solve.json()["solved"] as? Bool == true)
        #expect(try solve.json()["run_id"] is NSNull, "\(solve.stdout)")
        #expect(solve.stderr.contains("this run is not recorded") && solve.stderr.contains("cannot be written"))
        #expect(!solve.stderr.contains("SQLite error"), "\(solve.stderr)")
    }

    @Test func readingCommandsCreateNothingAndADirectoryIsNamed() async throws {
        let dir = try TemporaryDirectory()
        let typo = dir.url.appendingPathComponent("typo/dir/x.sqlite").path
        for arguments in [["runs", "list"], ["runs", "show", "abc"], ["replay", "abc"]] {
            let run = try await CLI.run(arguments + ["--store", typo])
            #expect(run.code == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("no run store at"), "\(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("typo").path))

        let directory = try await CLI.run(["runs", "list", "--store", dir.url.path])
        #expect(directory.code == 2)
        #expect(directory.stderr.contains("is a directory"), "\(directory.stderr)")

        let foreign = try dir.write("other.sqlite", String(repeating: "not a database ", count: 300))
        _ = try await CLI.run(["runs", "list", "--store", foreign.path])
        #expect(!FileManager.default.fileExists(atPath: foreign.path + ".lock"), "a lock was left next to it")
    }
}
