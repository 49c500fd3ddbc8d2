import AutoCoder
import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderExecution

/// A bridged run whose test files hold only plain test functions is judged by autocoder's own runner
/// (`plain_runner.py`) instead of a pytest session: the same verdicts, the same JUnit names, failures explained as
/// pytest explains them; every other file goes to pytest, and nothing the code does turns a failure into a pass.
@Suite(.serialized) struct PlainRunnerTests {
    static let marker = "(plain test functions: autocoder's runner)"

    func run(
        _ solution: String, tests: String, name: String = "test_plain.py", integrity: IntegrityMode = .warn
    )
        async throws -> TestResult
    {
        let task = CodingTask(description: "plain", tests: [CodeFile(path: name, content: tests)], timeoutSeconds: 60)
        let executor = PytestExecutor(integrity: integrity, workers: .forTests)
        return try await executor.test([CodeFile(path: "solution.py", content: solution)], for: task)
    }

    static let humanEvalShaped = """
        from solution import *
        from solution import add

        METADATA = {"author": "someone"}

        def check(candidate):
            assert candidate(1, 2) == 3
            assert [candidate(1, 1), 2, 3] == [2, 2, 3]

        def test_check():
            check(add)

        def test_more():
            assert add(-1, 1) == 0
        """

    @Test func plainTestFunctionsPassWithoutAPytestSession() async throws {
        let result = try await run("def add(a, b):\n    return a + b\n", tests: Self.humanEvalShaped)
        #expect(result.outcome == .passed, "\(result.summary)\n\(result.output)")
        #expect(result.integrity?.isolation == .bridge)
        #expect(result.output.contains("2 passed in"), "\(result.output)")
        #expect(result.output.contains(Self.marker), "\(result.output)")
        #expect(result.tests.map(\.name) == ["test_check", "test_more"])
        #expect(result.tests.allSatisfy { $0.suite == "test_plain" })
    }

    /// The failure reads as pytest's would: the rewritten assertion, the first difference, the source line.
    @Test func aFailureIsExplainedAsPytestWould() async throws {
        let result = try await run("def add(a, b):\n    return a + b + (a == 1)\n", tests: Self.humanEvalShaped)
        #expect(result.outcome == .failed, "\(result.summary)")
        #expect(result.output.contains(Self.marker), "\(result.output)")
        #expect(result.output.contains("FAILED test_plain.py::test_check - assert 4 == 3"), "\(result.output)")
        #expect(result.output.contains("+  where 4 = "), "\(result.output)")
        let failed = result.tests.first { $0.name == "test_check" }
        #expect(failed?.outcome == .failed)
        #expect(failed?.details?.contains(">       assert candidate(1, 2) == 3") == true, "\(failed as Any)")
        #expect(result.tests.first { $0.name == "test_more" }?.outcome == .passed)

        let lists = try await run("def add(a, b):\n    return a + b + (b == 1 and 5)\n", tests: Self.humanEvalShaped)
        #expect(lists.outcome == .failed)
        #expect(lists.output.contains("At index 0 diff: 7 != 2"), "\(lists.output)")
    }

    /// Files that are not plain (fixtures, marks, pytest's names, classes, generated or redefined tests) and test
    /// modules that fail to import go to pytest, which gives its own verdict.
    @Test(arguments: [
        (
            "import pytest\nfrom solution import add\n\ndef test_add():\n    assert add(1, 2) == pytest.approx(3)\n",
            true
        ),
        ("from solution import add\n\ndef test_add(recwarn):\n    assert add(1, 2) == 3\n", true),
        ("from solution import add\n\nclass TestAdd:\n    def test_add(self):\n        assert add(1, 2) == 3\n", true),
        ("from solution import add\n\ndef test_add():\n    yield\n", false),
        ("from solution import add\n\ndef test_add():\n    assert add(1, 2) == 3\n\ntest_again = test_add\n", true),
        (
            "from solution import add\n\ndef test_add():\n    assert 0\n\ndef test_add():\n    assert add(1, 2) == 3\n",
            true
        ),
        (
            "from unittest import SkipTest\nfrom solution import add\n\ndef test_add():\n    assert add(1, 2) == 3\n",
            true
        ),
        ("from solution import add, missing\n\ndef test_add():\n    assert add(1, 2) == 3\n", false),
    ])
    func otherFilesGoToPytest(_ tests: String, passes: Bool) async throws {
        let result = try await run("def add(a, b):\n    return a + b\n", tests: tests)
        #expect(!result.output.contains(Self.marker), "\(result.output)")
        #expect(result.passed == passes, "\(result.summary)\n\(result.output)")
        #expect(result.integrity?.isolation == .bridge)
    }

    /// An honest solution that imports what the tests import, or names a helper like a builtin, still passes: a
    /// star import binds neither over the tests' own.
    @Test func aStarImportLeavesTheTestsOwnNames() async throws {
        let solution = "import math\n\ndef max(values):\n    return 0\n\ndef area(r):\n    return math.pi * r * r\n"
        let tests = """
            import math
            from solution import *

            def test_area():
                assert math.isclose(area(1.0), math.pi)
                assert abs(area(2.0) - 4 * math.pi) < 1e-9
                assert max([1, 2]) == 2
            """
        let result = try await run(solution, tests: tests)
        #expect(result.outcome == .passed, "\(result.summary)\n\(result.output)")
        #expect(result.output.contains(Self.marker), "\(result.output)")
    }

    /// pytest calls a module's `setup_module` (and `setup_function`, and their teardowns) before its tests; a file
    /// that has one goes to pytest, so a test whose cases `setup_module` fills is not run over nothing (found by a
    /// fresh attacker: the runner had skipped it, and `return None` passed).
    @Test func aFileWithSetupGoesToPytest() async throws {
        let tests = """
            from solution import sort_numbers

            CASES = []

            def setup_module():
                CASES.extend([[3, 1, 2], [5, 4]])

            def test_sorts():
                for case in CASES:
                    assert sort_numbers(list(case)) == sorted(case)
            """
        let wrong = try await run("def sort_numbers(xs):\n    return None\n", tests: tests)
        #expect(wrong.outcome == .failed, "\(wrong.summary)\n\(wrong.output)")
        #expect(!wrong.output.contains(Self.marker))
        let right = try await run("def sort_numbers(xs):\n    return sorted(xs)\n", tests: tests)
        #expect(right.outcome == .passed, "\(right.summary)\n\(right.output)")
    }

    /// A name the code exports that pytest would collect (through `import *`) sends the run to pytest.
    @Test func aTestTheCodeExportsGoesToPytest() async throws {
        let solution = "def add(a, b):\n    return a + b\n\ndef test_planted():\n    return None\n"
        let result = try await run(
            solution, tests: "from solution import *\n\ndef test_add():\n    assert add(1, 2) == 3\n")
        #expect(!result.output.contains(Self.marker), "\(result.output)")
        #expect(result.integrity?.isolation == .bridge)
    }

    /// Ways the code might end a plain test other than by returning: none is a pass, and the run's other tests
    /// still run.
    @Test(arguments: [
        "import sys\n\ndef add(a, b):\n    sys.exit(0)\n",
        "def add(a, b):\n    raise KeyboardInterrupt\n",
        "class Out(BaseException):\n    pass\n\ndef add(a, b):\n    raise Out()\n",
        "import os, signal\n\ndef add(a, b):\n    os.kill(os.getpid(), signal.SIGKILL)\n",
        "import os\n\ndef add(a, b):\n    os._exit(0)\n",
        "import sys\n\ndef add(a, b):\n    print('1 passed in 0.01s', file=sys.__stdout__)\n    sys.stdout.flush()\n"
            + "    raise SystemExit(0)\n",
    ])
    func theCodeCannotEndATestAsAPass(_ solution: String) async throws {
        let tests =
            "from solution import add\n\ndef test_add():\n    assert add(1, 2) == 3\n\ndef test_last():\n    assert 1\n"
        let result = try await run(solution, tests: tests)
        #expect(!result.passed, "\(result.summary)\n\(result.output)")
        #expect([.failed, .tampered, .error].contains(result.outcome), "\(result.summary)")
        #expect(result.tests.first { $0.name == "test_add" }?.outcome != .passed, "\(result.tests)")
        #expect(result.tests.first { $0.name == "test_last" }?.outcome == .passed, "\(result.tests)")
        #expect(result.output.contains(Self.marker), "\(result.output)")
    }
}
