import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

/// Every command's `--json` document matches its schema in docs/schemas (every documented key present, `null`
/// when empty, snake_case), checked with Python's jsonschema; a failure under `--json` prints the error document.
@Suite struct JSONSchemaTests {
    static let schemas = CLI.repository.appendingPathComponent("docs/schemas")

    func expectValid(_ run: CLI.Run, against schema: String) async throws {
        let dir = try TemporaryDirectory()
        let document = try dir.write("document.json", run.stdout)
        let python = try await PythonInterpreter.resolve()
        let check = try await ProcessRunner().run(
            ProcessRequest(
                executable: python.path,
                arguments: [
                    "-c",
                    "import json, sys, jsonschema; "
                        + "jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))",
                    document.path, Self.schemas.appendingPathComponent(schema).path,
                ], workingDirectory: dir.url.path))
        #expect(check.exitCode == 0, "\(schema): \(check.standardError.text.suffix(1500)) in \(run.stdout.prefix(400))")
    }

    @Test func everyCommandsDocumentMatchesItsSchema() async throws {
        let replies = "examples/fizzbuzz/replies.json"
        try await expectValid(
            try await CLI.run(["solve", "examples/fizzbuzz", "--provider", "script", "--script", replies, "--json"]),
            against: "solve.schema.json")
        let dir = try TemporaryDirectory()
        let code = try dir.write("add.py", "def add(a, b):\n    return a - b\n")
        let tests = try dir.write("test_add.py", "from add import add\n\ndef test_add():\n    assert add(1, 2) == 3\n")
        try await expectValid(
            try await CLI.run(["test", "--code", code.path, "--tests", tests.path, "--json"]),
            against: "test.schema.json")
        try await expectValid(try await CLI.run(["exec", "-c", "print(1)", "--json"]), against: "exec.schema.json")
        try await expectValid(
            try await CLI.run(["bench", "humaneval", "--oracle", "canonical", "--limit", "2", "--json"]),
            against: "bench.schema.json")
        try await expectValid(try await CLI.run(["doctor", "--json"]), against: "doctor.schema.json")
        let store = dir.url.appendingPathComponent("runs.sqlite").path
        _ = try await CLI.run([
            "solve", "examples/fizzbuzz", "--provider", "script", "--script", replies, "--store", store,
        ])
        try await expectValid(
            try await CLI.run(["runs", "list", "--json", "--store", store]), against: "runs-list.schema.json")
    }

    @Test func fixDocumentsMatchTheirSchema() async throws {
        let dir = try TemporaryDirectory()
        let root = dir.url.appendingPathComponent("textstats")
        try FileManager.default.copyItem(
            at: CLI.repository.appendingPathComponent("Tests/Fixtures/repositories/textstats"), to: root)
        let edit =
            "textstats/stats.py\n<<<<<<< SEARCH\n    pieces = raw_words(text)\n=======\n    pieces = words(text)\n>>>>>>> REPLACE\n"
        let script = try dir.write("replies.json", String(decoding: try JSONEncoder().encode([edit]), as: UTF8.self))
        let arguments = ["fix", root.path, "--provider", "script", "--script", script.path, "--no-store", "--json"]
        try await expectValid(try await CLI.run(arguments + ["--apply"]), against: "fix.schema.json")
        // Applied: the second run has nothing to fix.
        let nothing = try await CLI.run(arguments)
        #expect(nothing.stdout.contains("\"nothing_to_fix\" : true"))
        try await expectValid(nothing, against: "fix.schema.json")
        // Every key of a fix document, as a run that needed nothing.
        let document = try nothing.json()
        #expect(document["solved"] as? Bool == true && document["iterations"] as? Int == 0)
        #expect((document["steps"] as? [Any])?.isEmpty == true && document["run_id"] is NSNull)
    }

    @Test func aFailureUnderJSONPrintsTheErrorDocument() async throws {
        for arguments in [
            ["solve", "no/such/task", "--json"], ["solve", "examples/demo", "--max-iterations", "-1", "--json"],
        ] {
            let run = try await CLI.run(arguments)
            #expect(run.code == 2)
            try await expectValid(run, against: "error.schema.json")
        }
    }
}
