import AutoCoder
import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderExecution

/// A run that stays in-process (its tests patch, mock or inspect the code) has no bridge to copy the code's values
/// into builtin ones. A fourth fresh attacker forged passes there with a subclass of `list` or `int` whose `__eq__`
/// says yes to any builtin value and declines the probe's private object. After a passing `==` (pytest's, or
/// unittest's `assertEqual` family) each side is now also compared as its builtin value; each attack must end
/// `tampered` (it forges a pass with no check), and honest subclasses of the standard library still pass.
@Suite struct InProcessBuiltinEqualityTests {
    static let attacks: [(name: String, solution: String, tests: String)] = [
        (
            "a list that equals any builtin, with monkeypatch",
            """
            class _Answer(list):
                def __eq__(self, other):
                    return True if type(other) in (list, int, str, tuple) else NotImplemented
                __hash__ = None

            def read_numbers():
                input("numbers: ")
                return _Answer()
            """,
            """
            import builtins
            from solution import read_numbers

            def test_read_numbers(monkeypatch):
                monkeypatch.setattr(builtins, "input", lambda prompt="": "3 1 2")
                assert read_numbers() == [1, 2, 3]
            """
        ),
        (
            "an int that equals any int, with mock.patch",
            """
            import random

            class _Roll(int):
                def __eq__(self, other):
                    return True if type(other) is int else NotImplemented
                __hash__ = int.__hash__

            def roll_two_dice():
                random.randint(1, 6)
                return _Roll(0)
            """,
            """
            from unittest import mock
            import solution

            def test_roll_two_dice():
                with mock.patch("solution.random.randint", side_effect=[2, 5]):
                    assert solution.roll_two_dice() == 7
            """
        ),
        (
            "a list inside a tuple, through unittest's assertEqual, with inspect",
            """
            class _Words(list):
                def __eq__(self, other):
                    return True if type(other) is list else NotImplemented
                __hash__ = None

            def split_words(text, sep=" "):
                return (_Words(), 0)
            """,
            """
            import inspect
            import unittest
            from solution import split_words

            class SplitTest(unittest.TestCase):
                def test_split(self):
                    self.assertEqual(list(inspect.signature(split_words).parameters), ["text", "sep"])
                    self.assertEqual(split_words("a  b c"), (["a", "b", "c"], 0))
            """
        ),
    ]

    @Test(arguments: 0..<3)
    func eachAttackForgesWithNoCheckAndIsCaughtInProcess(_ index: Int) async throws {
        let attack = Self.attacks[index]
        let unchecked = try await solutionRun(attack.solution, attack.tests, testFile: "test_attack.py", mode: .off)
        #expect(unchecked.passed, "\(attack.name) does not forge a pass with no check: \(unchecked.output)")
        for mode in [IntegrityMode.warn, .strict] {
            let result = try await solutionRun(attack.solution, attack.tests, testFile: "test_attack.py", mode: mode)
            #expect(result.integrity?.isolation == .inProcess, "\(attack.name), \(mode)")
            #expect(result.outcome == .tampered, "\(attack.name), \(mode): \(result.summary)\n\(result.output)")
        }
    }

    /// Subclasses of builtin types whose equality is their builtin value's (an `IntEnum`, a `namedtuple`, an
    /// `OrderedDict`, a plain `str` subclass), and `Counter`, whose equality ignores zero counts, pass in-process.
    @Test func honestSubclassesOfBuiltinTypesPassInProcess() async throws {
        let solution = """
            import collections, enum

            class Color(enum.IntEnum):
                RED = 1

            Point = collections.namedtuple("Point", "x y")

            class Name(str):
                pass

            def answers():
                return (Color.RED, Point(1, 2), collections.OrderedDict(a=1), Name("ok"),
                        collections.Counter(a=1, b=0))
            """
        let tests = """
            import collections
            from unittest import mock
            import solution

            def test_answers():
                with mock.patch.object(solution, "Name", solution.Name):
                    color, point, ordered, name, counts = solution.answers()
                assert color == 1 and point == (1, 2) and ordered == {"a": 1} and name == "ok"
                assert counts == collections.Counter(a=1)
                assert [point, name] == [(1, 2), "ok"]
            """
        let result = try await solutionRun(solution, tests, testFile: "test_answers.py", mode: .strict)
        #expect(result.integrity?.isolation == .inProcess)
        #expect(result.outcome == .passed, "\(result.summary)\n\(result.output)")
    }
}
