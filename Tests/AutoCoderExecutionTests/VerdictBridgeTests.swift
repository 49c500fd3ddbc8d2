import AutoCoder
import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderExecution

/// Verdicts computed in a process that never runs the code (the verdict bridge, `verdict_bridge.py`).
///
/// Each attack below forges a pass when the code shares the tests' process with no check (`--integrity off`,
/// which shows the attack is real). Bridged, none may pass: under `warn`, where the scan refuses nothing, the
/// attack runs and must end `failed` or `tampered`; under `strict` too. The attacks were written for this suite,
/// one per class of forgery that got past the in-process checks.
@Suite(.serialized) struct VerdictBridgeTests {
    static let addTests = IntegrityTests.addTests

    /// (name, solution, tests, more test files)
    static let attacks: [(name: String, solution: String, tests: String, more: [CodeFile])] = [
        (
            "the caller's source line read through the stack",
            """
            import re, traceback

            def add(a, b):
                for frame in traceback.extract_stack():
                    found = re.search(r"add\\(\\s*%d\\s*,\\s*%d\\s*\\)\\s*==\\s*(-?\\d+)" % (a, b), frame.line or "")
                    if found:
                        return int(found.group(1))
                return 0
            """, addTests, []
        ),
        (
            "the caller's locals read through sys._getframe",
            """
            import sys

            def add(a, b):
                frame = sys._getframe(1)
                while frame is not None:
                    for value in frame.f_locals.values():
                        if isinstance(value, dict) and "expected" in value:
                            return value["expected"]
                    frame = frame.f_back
                return 0
            """,
            """
            from solution import add

            def test_add():
                case = {"a": 2, "b": 3, "expected": 5}
                assert add(case["a"], case["b"]) == case["expected"]
            """, []
        ),
        (
            "a hook registered on pytest's plugin manager found through the stack",
            """
            import sys

            class Flip:
                def pytest_runtest_logreport(self, report):
                    report.outcome, report.longrepr = "passed", None

                def pytest_sessionfinish(self, session):
                    session.exitstatus = 0

            frame = sys._getframe()
            while frame is not None:
                managers = [getattr(getattr(value, "config", None), "pluginmanager", None)
                            for value in frame.f_locals.values()]
                managers = [manager for manager in managers if manager is not None]
                if managers:
                    managers[0].register(Flip(), "flip")
                    break
                frame = frame.f_back

            def add(a, b):
                return 0
            """, addTests, []
        ),
        (
            "pytest's runtest swapped by __code__, keeping its identity",
            """
            import _pytest.python

            _pytest.python.Function.runtest.__code__ = (lambda self: None).__code__

            def add(a, b):
                return 0
            """, addTests, []
        ),
        (
            "the report rewritten at exit",
            """
            import atexit, glob, os

            def forge():
                for path in glob.glob(os.path.join(os.path.dirname(os.getcwd()), "*", "junit.xml")):
                    with open(path, "w") as report:
                        report.write('<testsuites><testsuite name="pytest" tests="2"><testcase classname='
                                     '"test_attack" name="test_add"/><testcase classname="test_attack" '
                                     'name="test_add_again"/></testsuite></testsuites>')
                os._exit(0)

            atexit.register(forge)

            def add(a, b):
                return 0
            """, addTests, []
        ),
        (
            "a later test file rewritten during collection and restored at exit",
            """
            import atexit, os

            path = os.path.join(os.getcwd(), "test_later.py")
            original = open(path, "rb").read()
            with open(path + ".new", "w") as handle:
                handle.write("def test_later():\\n    assert True\\n")
            os.replace(path + ".new", path)

            def restore():
                with open(path + ".old", "wb") as handle:
                    handle.write(original)
                os.replace(path + ".old", path)

            atexit.register(restore)

            def add(a, b):
                return 0
            """,
            "from solution import add\n",
            [
                CodeFile(
                    path: "test_later.py",
                    content: "from solution import add\n\ndef test_later():\n    assert add(2, 3) == 5\n")
            ]
        ),
        (
            "a failure laundered as a skip raised under the test file's name",
            """
            def add(a, b):
                namespace = {}
                exec(compile("import pytest\\ndef later():\\n    pytest.skip('later')\\n", "test_attack.py", "exec"),
                     namespace)
                namespace["later"]()
            """, addTests + "\n\ndef test_other():\n    assert True\n", []
        ),
        (
            "the test module's AssertionError rebound to a skip",
            """
            import sys

            def add(a, b):
                import pytest
                sys.modules["test_attack"].AssertionError = pytest.skip.Exception
                return 0
            """,
            "from solution import add\n\ndef test_first():\n    assert add(0, 0) == 0\n\n" + """
                def test_add():
                    assert add(2, 3) == 5
                """, []
        ),
        (
            "the test module's table of expected values changed",
            """
            import sys

            def add(a, b):
                sys.modules["test_attack"].CASES[:] = [(0, 0, 0)]
                return 0
            """,
            """
            from solution import add

            CASES = [(2, 3, 5), (1, 1, 2)]

            def test_first():
                assert add(0, 0) == 0

            def test_cases():
                for a, b, expected in CASES:
                    assert add(a, b) == expected
            """, []
        ),
        (
            "an always-equal object nested in a list",
            """
            class Same:
                def __eq__(self, other):
                    return True

            def add(a, b):
                return [Same()]
            """,
            "from solution import add\n\ndef test_add():\n    assert add(2, 3) == [5]\n", []
        ),
        (
            "an always-equal object through assertIn and assertListEqual",
            """
            class Same:
                def __eq__(self, other):
                    return True
                __hash__ = object.__hash__

            def add(a, b):
                return Same()

            def pairs():
                return [Same(), Same()]
            """,
            """
            import unittest
            from solution import add, pairs

            class TestAdd(unittest.TestCase):
                def test_in(self):
                    self.assertIn(add(2, 3), [5])

                def test_list(self):
                    self.assertListEqual(pairs(), [1, 2])
            """, []
        ),
        (
            "a number whose difference from anything is zero, through assertAlmostEqual",
            """
            class Close:
                def __eq__(self, other):
                    return False
                def __sub__(self, other):
                    return 0
                def __rsub__(self, other):
                    return 0

            def add(a, b):
                return Close()
            """,
            """
            import unittest
            from solution import add

            class TestAdd(unittest.TestCase):
                def test_close(self):
                    self.assertAlmostEqual(add(2, 3), 5.0)
            """, []
        ),
        (
            "an object that says it is equal only the first time it is asked",
            """
            class Once:
                def __init__(self):
                    self.asked = False
                def __eq__(self, other):
                    first, self.asked = not self.asked, True
                    return first

            def add(a, b):
                return Once()
            """,
            "from solution import add\n\ndef test_add():\n"
                + (1...10).map { "    assert add(\($0), 1) == \($0 + 1)\n" }.joined(), []
        ),
        (
            "an __eq__ that answers 1, not True, so no probe looks at it",
            """
            class Same:
                def __eq__(self, other):
                    return 1
                __hash__ = object.__hash__

            def add(a, b):
                return Same()
            """,
            """
            import unittest
            from solution import add

            def test_add():
                assert add(2, 3) == 5 and 7 == add(3, 4)

            class TestAdd(unittest.TestCase):
                def test_equal(self):
                    self.assertEqual(add(1, 1), 2)
            """, []
        ),
        (
            "an __eq__ that tells decoys from the expected value",
            """
            class Same:
                def __eq__(self, other):
                    return not (isinstance(other, str) and "autocoder" in other)
                __hash__ = object.__hash__

            def add(a, b):
                return Same()
            """,
            "from solution import add\n\ndef test_add():\n    assert add('a', 'b') == 'ab'\n", []
        ),
        (
            "assertAlmostEqual through a difference whose round is always 0",
            """
            class Zero:
                def __abs__(self):
                    return Zero()
                def __round__(self, places=None):
                    return 0

            class Mean:
                def __eq__(self, other):
                    return other is self
                __hash__ = object.__hash__
                def __sub__(self, other):
                    return Zero()
                def __rsub__(self, other):
                    return Zero()

            def add(a, b):
                return Mean()
            """,
            """
            import unittest
            from solution import add

            class TestAdd(unittest.TestCase):
                def test_close(self):
                    self.assertAlmostEqual(add(0.1, 0.2), 0.3, places=5)
            """, []
        ),
        (
            "the expected values read from the test file",
            """
            import glob, re

            def add(a, b):
                for path in glob.glob("test_*.py") + glob.glob("../*/test_*.py"):
                    found = re.search(r"add\\(%d, %d\\) == (\\d+)" % (a, b), open(path).read())
                    if found:
                        return int(found.group(1))
                return 0
            """, addTests, []
        ),
        (
            "a passing report written, then the process ended",
            """
            import glob, os

            def add(a, b):
                for path in glob.glob(os.path.join(os.path.dirname(os.getcwd()), "*", "junit.xml")) + \\
                        [os.path.join(os.path.dirname(os.getcwd()), "report", "junit.xml")]:
                    try:
                        with open(path, "w") as report:
                            report.write('<testsuites><testsuite name="pytest" tests="2"><testcase classname='
                                         '"test_attack" name="test_add"/><testcase classname="test_attack" '
                                         'name="test_add_again"/></testsuite></testsuites>')
                    except OSError:
                        pass
                os._exit(0)
            """, addTests, []
        ),
        // Found by a fresh attacker: `from solution import *` bound the code's names over the builtins and over
        // what the test file had imported before it, so the expected side was computed by the code.
        (
            "a builtin the tests use replaced through import *",
            "def abs(x):\n    return 0\n\ndef truncate(number):\n    return 0.5\n",
            """
            from solution import *

            def test_truncate():
                assert truncate(3.5) == 0.5
                assert abs(truncate(1.25) - 0.25) < 1e-6
            """, []
        ),
        (
            "a module the tests imported replaced through import *",
            """
            __all__ = ["mean", "math"]

            class math:
                @staticmethod
                def isclose(*args, **kwargs):
                    return True

            def mean(values):
                return -1.0
            """,
            """
            import math
            from solution import *

            def test_mean():
                assert math.isclose(mean([1.0, 3.0]), 2.0)
            """, []
        ),
        (
            "len, sorted and set replaced through import *",
            """
            def len(value):
                return 1

            def sorted(value):
                return [1, 2, 3]

            def set(value):
                return {4, 9}

            def unique(values):
                return []
            """,
            """
            from solution import *

            def test_unique():
                assert sorted(unique([3, 1, 2, 1])) == [1, 2, 3]
                assert len(unique([5, 5])) == 1
                assert set(unique([4, 9, 4])) == {4, 9}
            """, []
        ),
        // Found by a fourth fresh attacker: names an earlier star import gave the test module (`from math import
        // *`) were not protected, so the code's own `isclose` or `Decimal` computed the expected side.
        (
            "what an earlier star import gave the tests replaced through import *",
            """
            def isclose(a, b, *args, **kwargs):
                return True

            def hypotenuse(a, b):
                return 0.0
            """,
            """
            from math import *
            from solution import *

            def test_hypotenuse():
                assert isclose(hypotenuse(3, 4), 5.0)
                assert isclose(hypotenuse(1, 1), sqrt(2))
            """, []
        ),
        (
            "a class an earlier star import gave the tests replaced through import *",
            """
            def Decimal(text):
                return 0

            def total(prices):
                return 0
            """,
            """
            from decimal import *
            from solution import *

            def test_total():
                assert total(["0.10", "0.20"]) == Decimal("0.30")
            """, []
        ),
        // Found by a second fresh attacker: a StopIteration raised by a function ended the tests' own `map`.
        (
            "StopIteration raised to end the tests' own iteration",
            "def is_prime(n):\n    raise StopIteration\n",
            """
            from solution import is_prime

            def test_primes():
                assert all(map(is_prime, [2, 3, 5, 7, 11]))
                assert not any(map(is_prime, [0, 1, 4, 6, 9]))
            """, []
        ),
    ]

    /// Attacks that the in-process mode stops too, since the test files there belong to autocoder in a sticky
    /// directory.
    static let blockedInProcessToo: Set<String> = [
        "a later test file rewritten during collection and restored at exit"
    ]

    func run(
        _ attack: (name: String, solution: String, tests: String, more: [CodeFile]), mode: IntegrityMode,
        outOfProcess: Bool = true
    ) async throws -> TestResult {
        let task = CodingTask(
            description: "add", tests: [CodeFile(path: "test_attack.py", content: attack.tests)] + attack.more,
            timeoutSeconds: 60)
        let executor = PytestExecutor(integrity: mode, workers: .forTests, outOfProcess: outOfProcess)
        return try await executor.test([CodeFile(path: "solution.py", content: attack.solution)], for: task)
    }

    @Test(arguments: 0..<24)
    func eachAttackForgesInProcessAndFailsBridged(_ index: Int) async throws {
        let attack = Self.attacks[index]
        let unchecked = try await run(attack, mode: .off)
        #expect(unchecked.integrity == nil)
        if Self.blockedInProcessToo.contains(attack.name) {
            // The working directory is sticky and autocoder's: the test file cannot be replaced there either.
            #expect(!unchecked.passed, "\(attack.name): \(unchecked.summary)")
            #expect(unchecked.output.contains("PermissionError"), "\(unchecked.output)")
        } else {
            #expect(
                [.passed, .noTests].contains(unchecked.outcome) && unchecked.numFailed == 0,
                "\(attack.name) does not forge a pass without the bridge: \(unchecked.summary)\n\(unchecked.output)")
        }

        for mode in [IntegrityMode.warn, .strict] {
            let bridged = try await run(attack, mode: mode)
            #expect(bridged.integrity?.isolation == .bridge, "\(attack.name), \(mode): \(bridged.integrity as Any)")
            // `error` where the attack breaks the code's own import (the tests it reaches for are not there).
            #expect(
                [.failed, .tampered, .error].contains(bridged.outcome),
                "\(attack.name), \(mode): \(bridged.summary)\n\(bridged.output)")
        }
    }

    /// Honest code of every shape the bridge carries passes, bridged: classes and their methods, exceptions the
    /// code defines, mutation in place, callbacks, generators, printing, data files, dates and `import *`.
    @Test func honestCodePassesBridged() async throws {
        let solution = """
            import datetime, json, os
            from fractions import Fraction

            class BankError(ValueError):
                pass

            class Account:
                def __init__(self, balance=0):
                    self.balance = balance

                def withdraw(self, amount):
                    if amount > self.balance:
                        raise BankError("insufficient funds")
                    self.balance -= amount

                def __eq__(self, other):
                    return isinstance(other, Account) and other.balance == self.balance

                def __repr__(self):
                    return "Account(%d)" % self.balance

            def sort_in_place(values):
                values.sort()

            def fill(table, seen, data):
                table[(1, 2)] = {3}
                seen.add(frozenset({1}))
                data.extend(b"xy")

            def apply(function, values):
                return [function(value) for value in values]

            def squares(n):
                for i in range(n):
                    yield i * i

            def later(moment):
                return moment + datetime.timedelta(seconds=10**9)

            def shout(text):
                print("shouting", text)
                return text.upper()

            def rates():
                with open("rates.json") as handle:
                    return json.load(handle)

            def half(n):
                return Fraction(n, 2)

            def big():
                return 2 ** 200, float("inf"), -0.0, b"\\x00\\xff", {1, 2}, (1, [2, {"k": None}])
            """
        let tests = """
            import datetime
            import operator
            import pytest
            from fractions import Fraction
            from solution import *
            import solution

            def test_classes_and_exceptions():
                account = Account(10)
                account.withdraw(4)
                assert account.balance == 6
                assert account == Account(6) and account != Account(7)
                assert isinstance(account, Account)
                assert repr(account) == "Account(6)"
                with pytest.raises(BankError, match="insufficient"):
                    account.withdraw(100)
                with pytest.raises(ValueError):
                    account.withdraw(100)
                account.balance = 50
                assert account.balance == 50

            def test_values(capsys):
                values = [3, 1, 2]
                sort_in_place(values)
                assert values == [1, 2, 3]
                table, seen, data = {}, set(), bytearray(b"a")
                fill(table, seen, data)
                assert table == {(1, 2): {3}} and seen == {frozenset({1})} and data == bytearray(b"axy")
                assert apply(lambda x: x * 10, [1, 2]) == [10, 20]
                assert apply(operator.neg, [1, 2]) == [-1, -2] and apply(str.upper, ["a"]) == ["A"]
                assert list(squares(4)) == [0, 1, 4, 9] and sum(squares(3)) == 5
                assert later(datetime.datetime(2011, 4, 25)) == datetime.datetime(2043, 1, 1, 1, 46, 40)
                assert shout("hi") == "HI"
                assert capsys.readouterr().out == "shouting hi\\n"
                assert rates() == {"usd": 1}
                assert half(3) == Fraction(3, 2)
                assert big() == (2 ** 200, float("inf"), -0.0, b"\\x00\\xff", {1, 2}, (1, [2, {"k": None}]))
                assert solution.half is solution.half
            """
        let task = CodingTask(
            description: "bank",
            tests: [
                CodeFile(path: "test_bank.py", content: tests), CodeFile(path: "rates.json", content: "{\"usd\": 1}"),
            ],
            timeoutSeconds: 60)
        let executor = PytestExecutor(integrity: .strict, workers: .forTests)
        let result = try await executor.test([CodeFile(path: "solution.py", content: solution)], for: task)
        #expect(result.outcome == .passed, "\(result.summary)\n\(result.output)")
        #expect(result.integrity?.isolation == .bridge)
        #expect(result.integrity?.fallback == nil)
        #expect(result.integrity?.findings == [])
    }

    /// A failure in the code's process reaches the model as it would in-process: the exception, its message and
    /// where in the code it was raised; a crash of the code's process fails the tests instead of passing them.
    @Test func failuresAndCrashesOfTheCodeAreReported() async throws {
        let task = CodingTask(description: "add", tests: [CodeFile(path: "test_add.py", content: Self.addTests)])
        let executor = PytestExecutor(integrity: .strict, workers: .forTests)
        let raising = try await executor.test(
            [CodeFile(path: "solution.py", content: "def add(a, b):\n    return a + undefined_name\n")], for: task)
        #expect(raising.outcome == .failed)
        #expect(raising.output.contains("NameError"), "\(raising.output)")
        #expect(raising.output.contains("solution.py"), "\(raising.output)")

        let warned = PytestExecutor(integrity: .warn, workers: .forTests)  // strict would refuse os._exit unrun
        let crashing = try await warned.test(
            [CodeFile(path: "solution.py", content: "import os\n\ndef add(a, b):\n    os._exit(0)\n")], for: task)
        #expect(crashing.outcome == .failed, "\(crashing.summary)")
        #expect(crashing.numPassed == 0)
        #expect(crashing.output.contains("the code's process ended"), "\(crashing.output)")
    }

    /// The choice comes from the tests and the settings, and the result says why a run stayed in-process.
    @Test func aSuiteThatPatchesTheCodeRunsInProcessAndSaysSo() async throws {
        let tests = """
            from unittest import mock
            import solution

            def test_add():
                with mock.patch.object(solution, "helper", return_value=5):
                    assert solution.add(2, 3) == 5
            """
        let task = CodingTask(description: "add", tests: [CodeFile(path: "test_add.py", content: tests)])
        let executor = PytestExecutor(integrity: .strict, workers: .forTests)
        let result = try await executor.test(
            [
                CodeFile(
                    path: "solution.py", content: "def helper():\n    return 0\n\ndef add(a, b):\n    return helper()\n"
                )
            ],
            for: task)
        #expect(result.outcome == .passed, "\(result.summary)\n\(result.output)")
        #expect(result.integrity?.isolation == .inProcess)
        #expect(result.integrity?.fallback?.contains("mock") == true, "\(result.integrity as Any)")
    }

    /// An object of the code's has only the protocols the bridge defines: a dunder that a library reads by name
    /// (numpy's `__array_interface__`, an address that numpy then reads and writes) is never asked of the code; the
    /// names that only describe it still are.
    @Test func protocolsAreNeverReadFromTheCode() async throws {
        let solution = """
            import sys

            class Thing:
                @property
                def __array_interface__(self):
                    print("asked for the array interface", file=sys.stderr)
                    return {"shape": (1,), "typestr": "<i8", "data": (0, False), "version": 3}

            def make():
                return Thing()
            """
        let tests = """
            from solution import make

            def test_protocols():
                thing = make()
                assert getattr(thing, "__array_interface__", None) is None
                assert getattr(thing, "__array_struct__", None) is None
                assert make.__name__ == "make"
            """
        let task = CodingTask(description: "thing", tests: [CodeFile(path: "test_thing.py", content: tests)])
        let executor = PytestExecutor(integrity: .warn, workers: .forTests)
        let result = try await executor.test([CodeFile(path: "solution.py", content: solution)], for: task)
        #expect(result.outcome == .passed, "\(result.summary)\n\(result.output)")
        #expect(result.integrity?.isolation == .bridge)
        #expect(!result.output.contains("asked for the array interface"), "\(result.output)")
    }

    /// The tests' objects that the code may call back into lead nowhere else: not to their globals, frames,
    /// builtins or files.
    @Test func callbacksDoNotLeadIntoTheTestsProcess() async throws {
        let solution = """
            def escape(callback, generator, path):
                found = []
                for reach in (lambda: callback.__globals__, lambda: generator.gi_frame,
                              lambda: callback.__call__.__self__.__globals__, lambda: path.parent):
                    try:
                        found.append(reach())
                    except Exception as error:
                        found.append(type(error).__name__)
                return found
            """
        let tests = """
            import pathlib
            from solution import escape

            def test_escape():
                try:
                    found = escape(lambda: 1, (i for i in range(3)), pathlib.Path("."))
                except BaseException as error:  # the bridge's refusal, which is no Exception
                    assert "cannot cross" in str(error)
                    found = escape(lambda: 1, (i for i in range(3)), ".")
                assert found[:3] == ["AttributeError", "AttributeError", "AttributeError"]
            """
        let task = CodingTask(description: "escape", tests: [CodeFile(path: "test_escape.py", content: tests)])
        let executor = PytestExecutor(integrity: .warn, workers: .forTests)
        let result = try await executor.test([CodeFile(path: "solution.py", content: solution)], for: task)
        #expect(result.outcome == .passed, "\(result.summary)\n\(result.output)")
        #expect(result.integrity?.isolation == .bridge)
    }
}
