import AutoCoderTestSupport
import Foundation
import Testing

/// Bad input gets one clear line on stderr and exit 2, never a stack trace.
@Suite struct BadInputTests {
    static let fizz = "examples/fizzbuzz"

    func expectBadInput(
        _ arguments: [String], mentions fragment: String, environment: [String: String] = [:]
    ) async throws {
        let run = try await CLI.run(arguments, environment: environment)
        #expect(run.code == 2, "arguments: \(arguments), stderr: \(run.stderr)")
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(run.stderr)")
        #expect(run.stderr.hasPrefix("autocoder: error: "))
        #expect(run.stderr.contains(fragment), "stderr: \(run.stderr)")
        #expect(!run.stderr.contains("Fatal error"))
        #expect(run.stdout.isEmpty)
    }

    @Test func negativeNumbersGetRangeErrorsNotMissingValue() async throws {
        try await expectBadInput(["solve", Self.fizz, "--max-iterations", "-1"], mentions: "1 to 1000 (it is -1)")
        try await expectBadInput(["solve", Self.fizz, "--timeout", "-3"], mentions: "above 0")
        try await expectBadInput(["solve", Self.fizz, "--max-tokens", "-5"], mentions: "--max-tokens must be")
        try await expectBadInput(["bench", "humaneval", "--limit", "-2"], mentions: "--limit")
    }

    @Test func conflictingGeneratorFlagsAreRefused() async throws {
        try await expectBadInput(
            ["solve", Self.fizz, "--script", "a.json", "--command", "cat"], mentions: "--script and --command")
        try await expectBadInput(
            ["solve", Self.fizz, "--provider", "openai", "--script", "a.json"],
            mentions: "--script goes with --provider script")
        try await expectBadInput(
            ["solve", Self.fizz, "--provider", "local", "--command", "cat"],
            mentions: "--command goes with --provider command")
    }

    @Test(arguments: [
        ("def test_x(:\n    pass\n", "test_broken.py, line 1: invalid syntax"),
        ("", "No test functions in test_broken.py"),
    ])
    func aSuiteThatCannotRunIsBadInputAndNoModelIsCalled(_ content: String, _ message: String) async throws {
        let dir = try TemporaryDirectory()
        try dir.write("task.md", "Write x.")
        try dir.write("tests/test_broken.py", content)
        let marker = dir.url.appendingPathComponent("called").path
        try await expectBadInput(
            ["solve", dir.url.path, "--provider", "command", "--command", "touch \(marker); echo x = 1", "--no-store"],
            mentions: message)
        #expect(!FileManager.default.fileExists(atPath: marker), "the generator was called")
    }

    @Test func flagsACommandWouldIgnoreAreRefused() async throws {
        // Commands that do not take a flag do not list it either (HelpTruthTests): it is unknown to them.
        try await expectBadInput(["doctor", "--language", "swift"], mentions: "Unknown option '--language'")
        try await expectBadInput(["doctor", "--module", "M"], mentions: "Unknown option '--module'")
        try await expectBadInput(["exec", "-c", "print(1)", "--no-warm-worker"], mentions: "Unknown option")
        try await expectBadInput(["exec", "-c", "print(1)", "--module", "M"], mentions: "Unknown option '--module'")
        try await expectBadInput(
            ["test", "--code", "a.py", "--tests", "t.py", "--no-warm-worker"], mentions: "Unknown option")
        try await expectBadInput(
            ["fix", ".", "--test-cmd", "true", "--module", "M"], mentions: "Unknown option '--module'")
        try await expectBadInput(
            ["bench", "benchmarks/javascript", "--oracle", "canonical", "--language", "python"],
            mentions: "Unknown option '--language'")
    }

    @Test func missingTaskDirectory() async throws {
        try await expectBadInput(
            ["solve", "no/such/task", "--provider", "script", "--script", "x"], mentions: "does not exist")
    }

    @Test func noTests() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("task.md", "Write x.")
        try FileManager.default.createDirectory(
            at: dir.url.appendingPathComponent("tests"), withIntermediateDirectories: true)
        let script = try dir.write("r.json", "[\"x = 1\"]")
        try await expectBadInput(
            ["solve", dir.url.path, "--provider", "script", "--script", script.path], mentions: "No test files")
        try await expectBadInput(["solve", "--description", "x"], mentions: "--description needs --tests")
    }

    @Test func unreadableFile() async throws {
        try await expectBadInput(
            ["test", "--code", "nope.py", "--tests", "examples/fizzbuzz/tests/test_fizzbuzz.py"],
            mentions: "nope.py does not exist")
        try await expectBadInput(["exec", "missing.py"], mentions: "missing.py does not exist")
    }

    @Test func emptyOrMalformedScript() async throws {
        let dir = try TemporaryDirectory()
        let empty = try dir.write("empty.json", "[]")
        let malformed = try dir.write("bad.json", "[\"unclosed")
        try await expectBadInput(
            ["solve", Self.fizz, "--provider", "script", "--script", empty.path], mentions: "has no replies")
        try await expectBadInput(
            ["solve", Self.fizz, "--provider", "script", "--script", malformed.path], mentions: "neither a JSON array")
        try await expectBadInput(["solve", Self.fizz, "--provider", "script"], mentions: "needs --script")
    }

    @Test func unknownOrMissingProvider() async throws {
        try await expectBadInput(["solve", Self.fizz, "--provider", "gpt9"], mentions: "unknown provider 'gpt9'")
        let noKeys = ["OPENAI_API_KEY": "", "ANTHROPIC_API_KEY": "", "OPENAI_BASE_URL": "", "ANTHROPIC_BASE_URL": ""]
        try await expectBadInput(
            ["solve", Self.fizz, "--provider", "openai"], mentions: "OPENAI_API_KEY is not set", environment: noKeys)
        try await expectBadInput(
            ["solve", Self.fizz, "--provider", "anthropic"], mentions: "ANTHROPIC_API_KEY is not set",
            environment: noKeys)
        try await expectBadInput(
            ["solve", Self.fizz, "--provider", "openai", "--base-url", "ftp://example.com"],
            mentions: "--base-url must be an http(s) URL")
    }

    @Test func invalidFrontMatter() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("task.md", "---\nmax_iterations: lots\n---\nWrite x.")
        try dir.write("tests/test_x.py", "def test_x(): pass\n")
        try await expectBadInput(
            ["solve", dir.url.path, "--provider", "command", "--command", "true"], mentions: "max_iterations")
    }

    @Test func aLanguageTheTestsAreNotIn() async throws {
        try await expectBadInput(
            ["solve", "examples/demo", "--language", "swift", "--provider", "command", "--command", "true"],
            mentions: "--language swift does not match the task's tests, which are python")
    }

    @Test func aTaskLargerThanTheContextIsWarnedAbout() async throws {
        let dir = try TemporaryDirectory()
        let filler = String(repeating: "The sum of two numbers is their total. ", count: 3_000)
        try dir.write("task.md", "Write `add(a, b)` in `solution.py`.\n\n" + filler)
        try dir.write("tests/test_add.py", "from solution import add\n\ndef test_add():\n    assert add(1, 2) == 3\n")
        let reply = try dir.write("replies.json", #"["```python\ndef add(a, b):\n    return a + b\n```"]"#)
        let small = try await CLI.run([
            "solve", dir.url.path, "--provider", "script", "--script", reply.path, "--no-store", "--quiet",
        ])
        #expect(small.code == 0, "\(small.stderr)")
        #expect(!small.stderr.contains("context window"), "\(small.stderr)")
        try dir.write("task.md", "Write `add(a, b)` in `solution.py`.\n\n" + String(repeating: filler, count: 25))
        let large = try await CLI.run([
            "solve", dir.url.path, "--provider", "script", "--script", reply.path, "--no-store", "--quiet",
        ])
        #expect(large.code == 0, "\(large.stderr)")
        #expect(large.stderr.contains("more than most models' context windows (200000 tokens)"), "\(large.stderr)")
    }

    @Test func negativeOrZeroLimits() async throws {
        try await expectBadInput(
            ["solve", Self.fizz, "--max-iterations=-1"], mentions: "--max-iterations must be 1 to 1000")
        try await expectBadInput(
            ["solve", Self.fizz, "--max-iterations", "0"], mentions: "--max-iterations must be 1 to 1000")
        try await expectBadInput(["exec", "-c", "pass", "--timeout", "0"], mentions: "--timeout must be")
        try await expectBadInput(
            ["test", "--code", "a.py", "--tests", "b.py", "--timeout=-5"], mentions: "--timeout must be")
    }

    @Test func outOfRangeSandboxLimits() async throws {
        try await expectBadInput(["exec", "-c", "pass", "--memory", "8"], mentions: "--memory must be between 16")
        try await expectBadInput(["exec", "-c", "pass", "--max-procs", "2"], mentions: "--max-procs must be between 4")
    }

    @Test func conflictingOrMissingArguments() async throws {
        try await expectBadInput(["exec"], mentions: "either a FILE or -c CODE")
        try await expectBadInput(["test", "--tests", "x.py"], mentions: "Missing --code")
        try await expectBadInput(["solve", Self.fizz, "--description", "x"], mentions: "not both")
        try await expectBadInput(["frobnicate"], mentions: "frobnicate")
        try await expectBadInput(
            [
                "solve", "examples/swift-fizzbuzz", "--language", "swift", "--module", "9lives", "--provider",
                "command", "--command", "true",
            ],
            mentions: "must be a Swift identifier")
    }

    @Test(arguments: [
        (["solve", "--description", "x", "--test", "t.py"], "Unknown option '--test'. Did you mean '--tests'?"),
        (["test", "--test", "t.py"], "Unknown option '--test'. Did you mean '--tests'?"),
        (["sovle", "examples/demo"], "Unknown command 'sovle'. Did you mean 'solve'?"),
        (["help", "bogus"], "Unknown command 'bogus'."),
        (["runs", "lst"], "Unknown command 'lst'. Did you mean 'list'?"),
        (["bench", "exercism", "x", "--jobz", "2"], "Unknown option '--jobz'. Did you mean '--jobs'?"),
        (["solve", "--events=foo", "examples/demo"], "--events takes no value, or '=deltas' (given 'foo')"),
        (
            ["solve", "examples/demo", "--no-store", "--store", "/tmp/x.sqlite"],
            "--no-store and --store contradict each other; give one of them."
        ),
    ])
    func typosAreNamedAsTypos(_ arguments: [String], _ message: String) async throws {
        let run = try await CLI.run(arguments)
        #expect(run.code == 2)
        #expect(run.stderr == "autocoder: error: \(message) (see 'autocoder help')\n", "\(run.stderr)")
    }
}
