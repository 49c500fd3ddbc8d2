import AutoCoder
import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderExecution

/// Values that lost what they were on the way across the bridge, so that code plain pytest fails passed bridged
/// (found by a fresh attacker, 2026-12-07), and objects of a library the tests hold, which the code could have
/// driven in the test process. Each case fails with plain pytest (`--integrity off`, in-process) and must fail
/// bridged too.
@Suite(.serialized) struct VerdictBridgeFidelityTests {
    /// (name, solution, tests): each test's assertion is false for its solution in plain Python.
    static let cases: [(name: String, solution: String, tests: String)] = [
        (
            "an OrderedDict in the wrong order",
            """
            from collections import OrderedDict

            def ranked(scores):
                return OrderedDict(sorted(scores.items()))
            """,
            """
            from collections import OrderedDict
            from solution import ranked

            def test_ranked():
                assert ranked({"b": 1, "a": 2}) == OrderedDict([("a", 2), ("b", 1)][::-1])
            """
        ),
        (
            "two NaN results taken for one object",
            "def readings():\n    return [float('nan')]\n",
            """
            from solution import readings

            def test_distinct():
                assert len(set(readings() + readings())) == 1
            """
        ),
        (
            "an exception whose own __str__ was lost",
            """
            class Overdrawn(ValueError):
                def __init__(self, short):
                    super().__init__(short)
                    self.short = short

                def __str__(self):
                    return "insufficient funds: short by %d" % self.short

            def withdraw(balance, amount):
                raise Overdrawn(amount - balance)
            """,
            """
            import pytest
            from solution import Overdrawn, withdraw

            def test_message():
                with pytest.raises(Overdrawn) as caught:
                    withdraw(70, 100)
                assert str(caught.value) == "30"
            """
        ),
    ]

    func run(_ solution: String, _ tests: String, mode: IntegrityMode) async throws -> TestResult {
        try await solutionRun(solution, tests, testFile: "test_fidelity.py", mode: mode)
    }

    @Test(arguments: 0..<3)
    func whatPlainPytestFailsFailsBridged(_ index: Int) async throws {
        let (name, solution, tests) = Self.cases[index]
        let plain = try await run(solution, tests, mode: .off)
        #expect(plain.outcome == .failed, "\(name): plain pytest does not fail it: \(plain.output)")
        let bridged = try await run(solution, tests, mode: .strict)
        #expect(bridged.integrity?.isolation == .bridge, "\(name)")
        #expect(bridged.outcome == .failed, "\(name): \(bridged.output)")
    }

    /// The right order, NaN, a library's number (a float subclass) as an input and an exception's own message still
    /// work bridged.
    @Test func honestCodePassesBridged() async throws {
        let solution = """
            from collections import OrderedDict

            def ranked(scores):
                return OrderedDict(sorted(scores.items()))

            def readings():
                return [float('nan')]

            def half(value):
                return value / 2

            class Overdrawn(ValueError):
                def __str__(self):
                    return "short by %d" % self.args[0]

            def withdraw(balance, amount):
                raise Overdrawn(amount - balance)
            """
        let tests = """
            import math
            from collections import OrderedDict
            import pytest
            from solution import Overdrawn, half, ranked, readings, withdraw

            class Exactly(float):
                pass

            def test_all():
                assert ranked({"b": 1, "a": 2}) == OrderedDict([("a", 2), ("b", 1)])
                assert math.isnan(readings()[0])
                assert len(set(readings() + readings())) == 2
                assert half(Exactly(9.0)) == 4.5
                with pytest.raises(Overdrawn, match="short by 30") as caught:
                    withdraw(70, 100)
                assert str(caught.value) == "short by 30" and caught.value.args == (30,)
            """
        let result = try await run(solution, tests, mode: .strict)
        #expect(result.passed, "\(result.output)")
        #expect(result.integrity?.isolation == .bridge)
    }

    /// An object of a library the tests use (here iniconfig's, which comes with pytest) is not handed to the code:
    /// its methods would run in the test process (numpy's `tofile` writes a file there).
    @Test func aLibrarysObjectIsNotHandedToTheCode() async throws {
        let solution = "def sections(config):\n    return sorted(config.sections)\n"
        let tests = """
            import iniconfig
            from solution import sections

            def test_sections():
                config = iniconfig.IniConfig("x.ini", data="[a]\\nb = 1\\n")
                assert sections(config) == ["a"]
            """
        let result = try await run(solution, tests, mode: .strict)
        #expect(result.integrity?.isolation == .bridge)
        #expect(!result.passed, "\(result.output)")
        #expect(result.output.contains("cannot cross to the code"), "\(result.output)")
    }

    /// A bridged run reads the task's own `conftest.py` (its fixtures, hooks and the skips it declares), and never
    /// one the code brings: the code's files are in a directory of their own, which pytest does not see.
    @Test func aTasksConftestIsReadBridgedAndTheCodesIsNot() async throws {
        let conftest = """
            import pytest

            @pytest.fixture
            def numbers():
                return [1, 2, 3]

            def pytest_collection_modifyitems(items):
                for item in items:
                    if item.name == "test_slow":
                        item.add_marker(pytest.mark.skip(reason="slow"))
            """
        let tests = """
            from solution import total

            def test_total(numbers):
                assert total(numbers) == 6

            def test_slow():
                assert False
            """
        let task = CodingTask(
            description: "conftest",
            tests: [CodeFile(path: "conftest.py", content: conftest), CodeFile(path: "test_total.py", content: tests)],
            timeoutSeconds: 60)
        let executor = PytestExecutor(integrity: .strict, workers: .forTests)
        let honest = try await executor.test(
            [CodeFile(path: "solution.py", content: "def total(numbers):\n    return sum(numbers)\n")], for: task)
        #expect(honest.integrity?.isolation == .bridge)
        #expect(honest.passed && honest.numPassed == 1 && honest.numSkipped == 1, "\(honest.output)")

        let forging = """
            import pytest

            @pytest.hookimpl(hookwrapper=True)
            def pytest_runtest_makereport(item, call):
                outcome = yield
                outcome.get_result().outcome = "passed"
            """
        let forged = try await PytestExecutor(integrity: .warn, workers: .forTests).test(
            [
                CodeFile(path: "solution.py", content: "def total(numbers):\n    return 0\n"),
                CodeFile(path: "conftest.py", content: forging),
            ], for: task)
        #expect(forged.integrity?.isolation == .bridge)
        #expect(forged.outcome == .failed && forged.numFailed == 1, "\(forged.output)")
    }
}
