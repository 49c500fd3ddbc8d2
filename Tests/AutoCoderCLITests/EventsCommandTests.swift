import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

/// `--events`: a real run's lines on stdout, each one JSON object valid against docs/schemas/events.schema.json
/// (checked with Python's jsonschema), in the documented order, with one run id and gapless sequence numbers.
@Suite struct EventsCommandTests {
    /// Each stdout line checked against the schema; the decoded lines.
    func validLines(_ run: CLI.Run) async throws -> [[String: Any]] {
        let dir = try TemporaryDirectory()
        let lines = try dir.write("events.jsonl", run.stdout)
        let python = try await PythonInterpreter.resolve()
        let schema = CLI.repository.appendingPathComponent("docs/schemas/events.schema.json").path
        let check = try await ProcessRunner().run(
            ProcessRequest(
                executable: python.path,
                arguments: [
                    "-c",
                    "import json, sys, jsonschema\nschema = json.load(open(sys.argv[2]))\n"
                        + "for line in open(sys.argv[1]):\n    jsonschema.validate(json.loads(line), schema)\n",
                    lines.path, schema,
                ], workingDirectory: dir.url.path))
        #expect(check.exitCode == 0, "\(check.standardError.text.suffix(1500))")
        return try run.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func solveStreamsEveryStepOfTwoIterations() async throws {
        let run = try await CLI.run([
            "solve", "examples/word-count", "--provider", "script", "--script", "examples/word-count/replies.json",
            "--events", "--no-store",
        ])
        #expect(run.code == 0, "stderr: \(run.stderr)")
        let events = try await validLines(run)
        let types = events.compactMap { $0["type"] as? String }
        let iteration = [
            "iteration.started", "generation.started", "generation.finished", "test.started", "test.case",
            "test.case", "test.case", "test.case", "test.finished", "iteration.finished",
        ]
        #expect(types == ["run.started"] + iteration + iteration + ["run.finished"], "\(types)")
        #expect(events.compactMap { $0["seq"] as? Int } == Array(1...events.count))
        #expect(Set(events.compactMap { $0["run_id"] as? String }).count == 1)
        #expect(events.allSatisfy { ($0["time"] as? String)?.contains("T") == true })
        let failedCases = events.filter { $0["type"] as? String == "test.case" && $0["outcome"] as? String == "failed" }
        #expect(failedCases.count == 2 && failedCases.allSatisfy { $0["iteration"] as? Int == 1 })
        let outcome = try #require(events.last?["outcome"] as? [String: Any])
        #expect(outcome["solved"] as? Bool == true && outcome["iterations"] as? Int == 2)
        #expect(run.stderr.contains("[2/5]"), "progress stays on stderr")
    }

    @Test func eventsAndJSONExcludeEachOther() async throws {
        let run = try await CLI.run([
            "solve", "examples/word-count", "--provider", "script", "--script", "examples/word-count/replies.json",
            "--events", "--json",
        ])
        #expect(run.code == 2 && run.stderr.contains("--events and --json"), "\(run.stderr)")
    }

    @Test func benchStreamsEachProblemsRunThenItsSummary() async throws {
        let run = try await CLI.run(
            [
                "bench", "polyglot", "Tests/Fixtures/polyglot", "--languages", "python,javascript", "--oracle",
                "canonical", "--events",
            ], timeout: .seconds(300))
        #expect(run.code == 0, "stderr: \(run.stderr)")
        let events = try await validLines(run)
        #expect(events.last?["type"] as? String == "bench.finished")
        let summary = try #require(events.last?["summary"] as? [String: Any])
        #expect(summary["solved"] as? Int == 2)
        let runs = Dictionary(grouping: events.dropLast()) { $0["run_id"] as? String ?? "" }
        #expect(runs.count == 2)
        for lines in runs.values {
            #expect(
                lines.first?["type"] as? String == "run.started" && lines.last?["type"] as? String == "run.finished")
            #expect(lines.compactMap { $0["seq"] as? Int } == Array(1...lines.count))
        }
        #expect(!run.stdout.contains("LANGUAGE"), "the table is not printed under --events")
    }
}
