import AutoCoder
import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderExecution

/// The repository's own test command, on a view of the repository (an overlay as root, a copy without the
/// sandbox): the attempt laid over it, the user's tree never written, and a run that changes a protected test
/// file never a pass.
@Suite struct RepositoryExecutorTests {
    func repository() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.write("lib/value.sh", "echo 1\n")
        try directory.write("tests/check.sh", "test \"$(sh lib/value.sh)\" = 2\n")
        try directory.write(".build/stale", "from an earlier build\n")
        return directory
    }

    func task(_ root: URL, command: String) -> CodingTask {
        var task = CodingTask(description: "r", tests: [], solutionPath: "")
        task.repository = RepositoryContext(root: root.path, testCommand: command, protectedPatterns: ["tests/**"])
        return task
    }

    @Test(arguments: [true, false])
    func theAttemptIsLaidOverAViewAndTheTreeIsNotWritten(_ sandboxed: Bool) async throws {
        let directory = try repository()
        let executor = RepositoryExecutor(timeout: .seconds(30), sandbox: sandboxed ? Sandbox() : .off)
        // A package's earlier build shows through the overlay (SwiftPM reuses it, as cargo reuses target/), and what
        // the run builds there stays in the run; a copy leaves it out.
        let build = sandboxed ? "grep -q earlier .build/stale && echo rebuilt > .build/stale" : "test ! -e .build/stale"
        let command = "sh tests/check.sh && \(build) && echo made > new.txt"
        let failing = try await executor.test([], for: task(directory.url, command: command))
        #expect(failing.outcome == .failed, "\(failing.summary)")
        let fixed = [CodeFile(path: "lib/value.sh", content: "echo 2\n")]
        let passing = try await executor.test(fixed, for: task(directory.url, command: command))
        #expect(passing.outcome == .passed, "\(passing.summary) \(passing.output)")
        #expect(
            try String(contentsOf: directory.url.appendingPathComponent("lib/value.sh"), encoding: .utf8) == "echo 1\n")
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("new.txt").path))
        #expect(
            try String(contentsOf: directory.url.appendingPathComponent(".build/stale"), encoding: .utf8)
                == "from an earlier build\n")
    }

    @Test(arguments: [true, false])
    func aRunThatChangesAProtectedTestIsNeverAPass(_ sandboxed: Bool) async throws {
        let directory = try repository()
        let executor = RepositoryExecutor(timeout: .seconds(30), sandbox: sandboxed ? Sandbox() : .off)
        let attempt = [CodeFile(path: "lib/value.sh", content: "echo 3\n")]
        // The untouched tree's run changes nothing; an attempt's run that rewrites a test is never a pass.
        _ = try await executor.test([], for: task(directory.url, command: "sh tests/check.sh"))
        let forged = try await executor.test(
            attempt,
            for: task(
                directory.url, command: "rm -f tests/check.sh && echo 'exit 0' > tests/check.sh && sh tests/check.sh"))
        #expect(forged.outcome == .error)
        #expect(forged.message?.contains("tests/check.sh were changed during the run") == true)
        let removed = try await executor.test(attempt, for: task(directory.url, command: "rm tests/check.sh"))
        #expect(removed.outcome == .error)
        #expect(
            try String(contentsOf: directory.url.appendingPathComponent("tests/check.sh"), encoding: .utf8).hasPrefix(
                "test"))
    }

    @Test(arguments: [true, false])
    func aSuiteUpdatesItsOwnFixturesAsItWouldAtHome(_ sandboxed: Bool) async throws {
        // The tree belongs to this process's user and the tests run as another (the sandbox's): writing,
        // truncating, renaming, `utime` and `chmod` on the tree's files work, and the user's files never change.
        let directory = try repository()
        try directory.write("tests/golden.txt", "old\n")
        try directory.write("tests/stamp.txt", "stamp\n")
        try directory.write("tests/moved.txt", "moved\n")
        try directory.write("tests/expected.txt", "2\n")
        let executor = RepositoryExecutor(timeout: .seconds(30), sandbox: sandboxed ? Sandbox() : .off)
        let updates =
            "echo new > tests/golden.txt && : > tests/stamp.txt && touch -d 2001-01-01 tests/stamp.txt "
            + "&& chmod 600 tests/stamp.txt && mv tests/moved.txt tests/renamed.txt && test \"$(cat tests/golden.txt)\" = new"
        let baseline = try await executor.test([], for: task(directory.url, command: updates))
        #expect(baseline.outcome == .passed, "\(baseline.summary) \(baseline.output)")
        let attempt = try await executor.test(
            [CodeFile(path: "lib/value.sh", content: "echo 2\n")], for: task(directory.url, command: updates))
        #expect(attempt.outcome == .passed, "the suite's own updates are not the attempt's: \(attempt.summary)")
        // A file the suite never changes on the untouched tree, changed in an attempt's run: the attempt did it.
        let forged = try await executor.test(
            [CodeFile(path: "lib/value.sh", content: "echo 2\n")],
            for: task(directory.url, command: updates + " && echo 3 > tests/expected.txt"))
        #expect(forged.outcome == .error && forged.message?.contains("tests/expected.txt") == true)
        // The idmapped view of the tree, on which the sandbox's user owns the real files, is out of its reach.
        let around = try await executor.test(
            [],
            for: task(
                directory.url,
                command: "for p in ../lower-guard/lower \"$(dirname \"$PWD\")/lower-guard/lower\"; do "
                    + "echo pwned > $p/tests/golden.txt; chmod 777 $p/tests/golden.txt; done; true"))
        #expect(around.outcome == .passed)
        for (path, content) in [
            ("tests/golden.txt", "old\n"), ("tests/stamp.txt", "stamp\n"), ("tests/moved.txt", "moved\n"),
            ("tests/expected.txt", "2\n"),
        ] {
            #expect(try String(contentsOf: directory.url.appendingPathComponent(path), encoding: .utf8) == content)
        }
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("tests/renamed.txt").path))
    }

    @Test func theCommandSeesTheTreeAtItsOwnPathAndItsVirtualenvWorks() async throws {
        // A virtualenv inside the tree: its console scripts name the tree's real path in their shebang, and its
        // python links to an interpreter outside the tree that its pyvenv.cfg names.
        try await requireLayers(.filesystemView)
        let directory = try repository()
        let tree = directory.url.resolvingSymlinksInPath().path
        let python = try #require(
            ExecutableSearch.locate("python3", path: ProcessInfo.processInfo.environment["PATH"] ?? ""))
        let venv = Process()
        venv.executableURL = URL(fileURLWithPath: python)
        venv.arguments = ["-m", "venv", "--without-pip", tree + "/.venv"]
        try venv.run()
        venv.waitUntilExit()
        try directory.write(".venv/bin/tool", "#!\(tree)/.venv/bin/python3\nimport sys\nprint('prefix', sys.prefix)\n")
        chmod(tree + "/.venv/bin/tool", 0o755)
        let executor = RepositoryExecutor(timeout: .seconds(30), sandbox: Sandbox())
        let result = try await executor.test(
            [CodeFile(path: "lib/value.sh", content: "echo 2\n")],
            for: task(directory.url, command: "test \"$PWD\" = '\(tree)' && .venv/bin/tool && sh tests/check.sh"))
        #expect(result.outcome == .passed, "\(result.summary) \(result.output)")
        #expect(result.output.contains("prefix \(tree)/.venv"))
        // The user's tree itself was never written.
        #expect(
            try String(contentsOf: directory.url.appendingPathComponent("lib/value.sh"), encoding: .utf8) == "echo 1\n")
    }

    @Test func theTestsARunnerPrintsAreReadOneByOne() {
        let cargo = """
            running 3 tests
            test tests::adds ... FAILED
            test tests::zero ... ok
            test tests::slow ... ignored, needs a day
            """
        #expect(
            ConsoleCases.read(cargo).map { "\($0.name):\($0.outcome)" } == [
                "tests::adds:failed", "tests::zero:passed", "tests::slow:skipped",
            ])
        let go =
            "=== RUN   TestAdd\n--- FAIL: TestAdd (0.00s)\n=== RUN   TestZero\n    --- PASS: TestZero/sub (0.00s)\n"
        #expect(ConsoleCases.read(go).map { "\($0.name):\($0.outcome)" } == ["TestAdd:failed", "TestZero/sub:passed"])
        // node's TAP: a describe block's own line is not a test; a skip is a skip.
        let tap = """
            TAP version 13
            # Subtest: math
                # Subtest: adds
                not ok 1 - adds
                  ---
                  duration_ms: 0.5
                  ...
                ok 2 - later # SKIP
                1..2
            ok 1 - math
              ---
              duration_ms: 1.2
              type: 'suite'
              ...
            ok 2 - alone
              ---
              duration_ms: 0.1
              ...
            # fail 1
            """
        #expect(
            ConsoleCases.read(tap).map { "\($0.name):\($0.outcome)" } == [
                "adds:failed", "later:skipped", "alone:passed",
            ])
        // mocha's and tape's TAP has no dash.
        #expect(
            ConsoleCases.read("ok 1 etag should require an entity\nnot ok 2 etag rejects # TODO\n").map(\.name) == [
                "etag should require an entity", "etag rejects",
            ])
        // GoogleTest (through ctest -V), ctest's own lines, TestNG, and the JUnit Platform console's tree.
        let native = """
            1: [       OK ] EmitterTest.SimpleScalar (0 ms)
            1: [  FAILED  ] Param/RangeTest.Reads/2, where GetParam() = 4 (1 ms)
            [  FAILED  ] Param/RangeTest.Reads/2, where GetParam() = 4
             1/3 Test  #1: gmock-actions_test .........................   Passed    0.01 sec
             2/3 Test  #2: format-test ..............................***Failed    0.02 sec
            PASSED: commandTest1
            FAILED: dynamicParameters
            ├─ JUnit Vintage ✔
            │  └─ ParserTest ✔
            │     ├─ testUsage ✔
            │     └─ testMissing ✘ expected: <1> but was: <2>
            │           org.opentest4j.AssertionFailedError: expected: <1> but was: <2>
            └─ JUnit Jupiter ✔
            """
        #expect(
            ConsoleCases.read(native).map { "\($0.suite.map { $0 + "." } ?? "")\($0.name):\($0.outcome)" } == [
                "EmitterTest.SimpleScalar:passed", "Param/RangeTest.Reads/2:failed", "gmock-actions_test:passed",
                "format-test:failed", "commandTest1:passed", "dynamicParameters:failed", "testUsage:passed",
                "testMissing:failed", "JUnit Jupiter:passed",
            ])
        #expect(ConsoleCases.read("make: *** [Makefile:2: test] Error 1\nok\n").isEmpty)
        // swift test: XCTest's lines (Linux's and Darwin's), then Swift Testing's; suites and the run are not tests.
        let swift = """
            Test Case 'XTests.testFail' failed (0.001 seconds)
            Test Case 'XTests.testPass' passed (0.0 seconds)
            Test Case 'XTests.testSkip' skipped (0.0 seconds)
            Test Case '-[M.XTests testDarwin]' passed (0.002 seconds).
            Test Suite 'XTests' failed at 2026-12-06 18:23:17.094
            ➜ Test later() skipped: "not yet"
            ✘ Test "Subtracts badly" recorded an issue at T.swift:5:45: Expectation failed: (add(1, 2) → 3) == 4
            ✔ Test adds() passed after 0.001 seconds.
            ✔ Test param(x:) with 2 test cases passed after 0.001 seconds.
            ✘ Test "Subtracts badly" failed after 0.001 seconds with 1 issue.
            ✔ Suite Group passed after 0.001 seconds.
            ✘ Test run with 5 tests in 1 suite failed after 0.002 seconds with 1 issue.
            """
        #expect(
            ConsoleCases.read(swift).map { "\($0.suite ?? "-")/\($0.name):\($0.outcome)" } == [
                "XTests/testFail:failed", "XTests/testPass:passed", "XTests/testSkip:skipped",
                "M.XTests/testDarwin:passed", "-/later():skipped", "-/adds():passed", "-/param(x:):passed",
                "-/Subtracts badly:failed",
            ])
    }

    @Test func theSummaryLineOfAnUnknownRunnerIsReported() {
        #expect(TestSummary.line(in: "x\nRan 3 tests in 0.01s\n\nFAILED (failures=1)\n") == "FAILED (failures=1)")
        #expect(TestSummary.line(in: "=== 2 failed, 3 passed in 0.1s ===") == "2 failed, 3 passed in 0.1s")
        #expect(TestSummary.line(in: "test result: ok. 4 passed; 0 failed") == "test result: ok. 4 passed; 0 failed")
        #expect(TestSummary.line(in: "nothing here") == nil)
        // go's lines stop at the line's end (a bare FAIL, then FAIL with the package, read as one before).
        #expect(TestSummary.line(in: "FAIL\nFAIL\texample.com/calc\t0.001s\nFAIL\n") == "FAIL\texample.com/calc")
        #expect(TestSummary.line(in: "ok 2 - zero\n1..2\n# tests 2\n# pass 1\n# fail 1\n") == "# fail 1")
    }
}

/// A pytest project whose suite holds no test is not a failure to fix.
@Suite struct RepositoryNoTestsTests {
    @Test func aSuiteWithNoTestIsNoTests() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("tests/test_nothing.py", "VALUE = 1\n")
        let python = try await PythonInterpreter.resolve()
        var task = CodingTask(description: "r", tests: [], solutionPath: "")
        task.repository = RepositoryContext(
            root: directory.url.path, testCommand: "\(python.path) -m pytest", protectedPatterns: ["tests/**"])
        let executor = RepositoryExecutor(
            timeout: .seconds(60), runtime: await PythonToolchain().commandRuntime(ToolchainSettings()),
            reporting: { PythonToolchain().reportingCommand($0, report: $1) })
        let result = try await executor.test([], for: task)
        #expect(result.outcome == .noTests, "\(result.summary)")
    }
}
