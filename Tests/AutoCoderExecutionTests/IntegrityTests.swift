import AutoCoder
import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderExecution

/// Verdicts that the code under test cannot forge from inside the test process (README, "Integrity"), for the runs
/// that stay in-process (a suite that mocks the code, `--integrity` with the bridge ruled out).
///
/// Each forgery passes with `--integrity off`, which shows that it really forges the verdict; with `strict` the
/// scan refuses it before it runs, and with `warn` (scan findings reported only) the check in the test process
/// still catches it while it runs. Both the warm worker and a cold pytest are tried.
@Suite(.serialized) struct IntegrityTests {
    static let addTests = """
        from solution import add

        def test_add():
            assert add(2, 3) == 5

        def test_add_again():
            assert add(1, 1) == 2
        """

    static let unittestTests = """
        import unittest
        from solution import add

        class TestAdd(unittest.TestCase):
            def test_add(self):
                self.assertEqual(add(2, 3), 5)
        """

    /// (name, solution, tests, the rule a run under `warn` must prove)
    static let forgeries: [(name: String, solution: String, tests: String, proof: String)] = [
        (
            "Function.runtest replaced at import",
            "import _pytest.python\n_pytest.python.Function.runtest = lambda self: None\n\ndef add(a, b):\n    return 0\n",
            addTests, "patched-test-machinery"
        ),
        (
            "call_and_report wrapped to say passed",
            """
            import _pytest.runner as runner
            original = runner.call_and_report

            def call_and_report(item, when, log=True, **kwargs):
                report = original(item, when, log=False, **kwargs)
                report.outcome, report.longrepr = "passed", None
                if log:
                    item.ihook.pytest_runtest_logreport(report=report)
                return report

            runner.call_and_report = call_and_report

            def add(a, b):
                return 0
            """, addTests, "forged-report"
        ),
        (
            "TestCase.run replaced",
            "import unittest\nunittest.TestCase.run = lambda self, result=None: None\n\ndef add(a, b):\n    return 0\n",
            unittestTests, "patched-test-machinery"
        ),
        (
            "TestCase.assertEqual replaced",
            "import unittest\nunittest.TestCase.assertEqual = lambda self, *a, **k: None\n\ndef add(a, b):\n    return 0\n",
            unittestTests, "patched-test-machinery"
        ),
        (
            "an int whose __eq__ always says True",
            "class Number(int):\n    def __eq__(self, other):\n        return True\n    __hash__ = int.__hash__\n\n"
                + "def add(a, b):\n    return Number(0)\n",
            addTests, "forged-equality"
        ),
        (
            "the same through unittest's assertEqual",
            "class Number(int):\n    def __eq__(self, other):\n        return True\n    __hash__ = int.__hash__\n\n"
                + "def add(a, b):\n    return Number(0)\n",
            unittestTests, "forged-equality"
        ),
        (
            "a skip raised from the solution",
            "def add(a, b):\n    import pytest\n    pytest.skip('later')\n",
            addTests + "\n\ndef test_other():\n    assert True\n", "skip-from-solution"
        ),
        (
            "a forged JUnit report, then os._exit(0)",
            """
            import os
            path = os.path.join(os.path.dirname(os.getcwd()), "report", "junit.xml")
            with open(path, "w") as report:
                report.write('<testsuites><testsuite name="pytest"><testcase classname="test_forgery" name="test_add"/>'
                             '<testcase classname="test_forgery" name="test_add_again"/></testsuite></testsuites>')
            os._exit(0)

            def add(a, b):
                return 0
            """, addTests, "missing-record"
        ),
        (
            "the patch hidden from the scan",
            "m = __import__('_py' + 'test.python', fromlist=['x'])\n"
                + "setattr(getattr(m, 'Func' + 'tion'), 'run' + 'test', lambda self: None)\n\n"
                + "def add(a, b):\n    return 0\n",
            addTests, "patched-test-machinery"
        ),
    ]

    func run(
        _ solution: String, tests: String, mode: IntegrityMode, warm: Bool, files: [CodeFile] = []
    ) async throws -> TestResult {
        let task = CodingTask(
            description: "add", tests: [CodeFile(path: "test_forgery.py", content: tests)] + files,
            timeoutSeconds: 60)
        // The in-process guards, which every run that cannot be bridged relies on (VerdictBridgeTests for the rest).
        let executor = PytestExecutor(warmWorker: warm, integrity: mode, workers: .forTests, outOfProcess: false)
        if warm { try #require(await executor.warmUp(workers: 1)) }
        return try await executor.test([CodeFile(path: "solution.py", content: solution)], for: task)
    }

    @Test(arguments: 0..<9)
    func eachForgeryPassesWithoutTheCheckAndIsTamperedWithIt(_ index: Int) async throws {
        let forgery = Self.forgeries[index]
        for warm in [true, false] {
            let unchecked = try await run(forgery.solution, tests: forgery.tests, mode: .off, warm: warm)
            // Without the check, every forgery gets what it wants: a pass, or (the skip) nothing failing.
            #expect([.passed, .noTests].contains(unchecked.outcome), "\(forgery.name), warm \(warm): \(unchecked)")
            #expect(unchecked.numFailed == 0, "\(forgery.name), warm \(warm)")

            let strict = try await run(forgery.solution, tests: forgery.tests, mode: .strict, warm: warm)
            #expect(strict.outcome == .tampered, "\(forgery.name), warm \(warm): \(strict.summary)")
            #expect(!strict.passed)

            let warned = try await run(forgery.solution, tests: forgery.tests, mode: .warn, warm: warm)
            #expect(warned.outcome == .tampered, "\(forgery.name), warm \(warm): \(warned.summary)")
            let rules = warned.integrity?.findings.filter(\.proven).map(\.rule) ?? []
            #expect(rules.contains(forgery.proof), "\(forgery.name), warm \(warm): \(rules)")
            #expect(warned.message?.contains("implement the behaviour instead") == true)
        }
    }

    /// Code that looks like a forgery and is not: none of it may be flagged, strict as it is.
    @Test(arguments: [true, false])
    func honestLookAlikesPass(warm: Bool) async throws {
        let solution = """
            from dataclasses import dataclass
            from unittest import mock
            import json, os

            class Number(int):
                pass

            class Money:
                def __init__(self, cents):
                    self.cents = cents

                def __eq__(self, other):
                    return isinstance(other, Money) and other.cents == self.cents

                __hash__ = None

            @dataclass
            class Point:
                x: int
                y: int

            def rates():
                with open(os.path.join(os.path.dirname(__file__), "rates.json")) as handle:
                    return json.load(handle)

            def add(a, b):
                with mock.patch("os.getcwd", return_value="/elsewhere"):
                    assert os.getcwd() == "/elsewhere"
                return Number(a + b)
            """
        let tests = """
            import unittest
            from solution import Money, Number, Point, add, rates

            def test_add():
                assert add(2, 3) == 5
                assert add(2, 3) != 6
                assert Money(5) == Money(5) and Money(5) != Money(6)
                assert Point(1, 2) == Point(1, 2) and Point(1, 2) != Point(2, 1)
                assert rates() == {"usd": 1}

            class TestWithUnittest(unittest.TestCase):
                def test_equal(self):
                    self.assertEqual(add(1, 1), 2)
                    self.assertEqual(Point(1, 2), Point(1, 2))
                    self.assertNotEqual(Money(1), Money(2))
            """
        let result = try await run(
            solution, tests: tests, mode: .strict, warm: warm,
            files: [CodeFile(path: "rates.json", content: "{\"usd\": 1}\n")])
        #expect(result.outcome == .passed, "\(result.summary)\n\(result.output)")
        #expect(result.integrity?.findings == [])
        #expect(result.integrity?.mode == .strict)
    }

    /// A wrong honest answer stays `failed`: the check adds nothing to a run it has no reason to doubt.
    @Test func anHonestFailureStaysAFailure() async throws {
        let result = try await run(
            "def add(a, b):\n    return 0 if a == 2 else a + b\n", tests: Self.addTests, mode: .strict, warm: true)
        #expect(result.outcome == .failed)
        #expect(result.numPassed == 1 && result.numFailed == 1)
        #expect(result.integrity?.findings == [])
    }

    /// The scan's rules, each on a line of its own, with the file, the line and the excerpt.
    @Test func theScanNamesRuleFileLineAndExcerpt() async throws {
        let solution = """
            import sys
            import builtins
            import atexit

            builtins.len = lambda value: 3
            sys.modules["math"] = None
            atexit.register(print)

            def add(a, b):
                frame = sys._getframe(1)
                source = open("test_forgery.py").read()
                return a + b
            """
        let result = try await run(solution, tests: Self.addTests, mode: .strict, warm: true)
        #expect(result.outcome == .tampered)
        #expect(result.tests.isEmpty, "a refused attempt is not run")
        let findings = try #require(result.integrity?.findings)
        let byRule = Dictionary(grouping: findings, by: \.rule)
        #expect(byRule["patching"]?.map(\.line) == [5, 6])
        #expect(byRule["process-control"]?.first?.line == 7)
        #expect(byRule["introspection"]?.first?.line == 10)
        #expect(byRule["reads-tests"]?.first?.line == 11)
        #expect(findings.allSatisfy { $0.file == "solution.py" && !$0.proven })
        #expect(byRule["patching"]?.first?.excerpt == "builtins.len = lambda value: 3")
        #expect(result.message?.contains("The tests were not run") == true)
    }

    /// With the check off, nothing is scanned and nothing is reported.
    @Test func offMeansNoCheck() async throws {
        let result = try await run(
            "import _pytest\n\ndef add(a, b):\n    return a + b\n", tests: Self.addTests, mode: .off, warm: true)
        #expect(result.outcome == .passed)
        #expect(result.integrity == nil)
    }
}
