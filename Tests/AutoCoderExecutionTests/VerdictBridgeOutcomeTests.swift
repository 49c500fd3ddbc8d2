import AutoCoder
import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderExecution

/// The tests' own failures are never the code's to swallow (found by a fresh attacker, 2026-12-07): a failing
/// `assert` inside a `with` block of the code's object, inside a callback the code calls, or inside
/// `pytest.raises` of an error class the code exports. Each forges a pass in-process with no check (plain Python
/// lets the code do so); bridged it must end `failed`. Honest code that suppresses or raises its own errors still
/// passes.
@Suite(.serialized) struct VerdictBridgeOutcomeTests {
    /// (name, solution, tests): each test holds a false assertion.
    static let attacks: [(name: String, solution: String, tests: String)] = [
        (
            "a context manager whose exit suppresses the block's failing assert",
            """
            class Tally:
                def __init__(self):
                    self.total = 0
                def add(self, n):
                    self.total += n
                def __enter__(self):
                    return self
                def __exit__(self, *details):
                    return True
            """,
            """
            from solution import Tally

            def test_tally():
                with Tally() as tally:
                    tally.add(2)
                    assert tally.total == 5
            """
        ),
        (
            "a callback's failing assert caught by the code",
            """
            class Signal:
                def __init__(self):
                    self.listeners = []
                def connect(self, listener):
                    self.listeners.append(listener)
                def emit(self, value):
                    for listener in self.listeners:
                        try:
                            listener(value)
                        except Exception:
                            pass
            """,
            """
            import unittest
            from solution import Signal

            class TestSignal(unittest.TestCase):
                def test_emit(self):
                    signal = Signal()
                    signal.connect(lambda value: self.assertEqual(value, 10))
                    signal.emit(4)
            """
        ),
        (
            "the error class exported as AssertionError",
            "EmptyError = AssertionError\n\ndef first(items):\n    return items[0] if items else None\n",
            """
            import pytest
            from solution import EmptyError, first

            def test_first():
                with pytest.raises(EmptyError):
                    assert first([7]) == 8
                    first([])
            """
        ),
        (
            "the error class exported as Exception",
            "EmptyError = Exception\n\ndef first(items):\n    return items[0] if items else None\n",
            """
            import pytest
            from solution import EmptyError, first

            def test_first():
                with pytest.raises(EmptyError):
                    assert first([7]) == 8
                    first([])
            """
        ),
    ]

    func run(_ solution: String, _ tests: String, mode: IntegrityMode) async throws -> TestResult {
        try await solutionRun(solution, tests, testFile: "test_outcome.py", mode: mode)
    }

    @Test(arguments: 0..<4)
    func eachSwallowedFailureForgesInProcessAndFailsBridged(_ index: Int) async throws {
        let (name, solution, tests) = Self.attacks[index]
        let unchecked = try await run(solution, tests, mode: .off)
        #expect(unchecked.passed, "\(name) does not forge a pass without the bridge: \(unchecked.output)")
        for mode in [IntegrityMode.warn, .strict] {
            let bridged = try await run(solution, tests, mode: mode)
            #expect(bridged.integrity?.isolation == .bridge, "\(name), \(mode)")
            #expect(bridged.outcome == .failed, "\(name), \(mode): \(bridged.output)")
        }
    }

    /// A context manager of the code's still suppresses the errors it is meant to; callbacks that fail with the
    /// tests' own errors other than assertions are the code's to handle; the code's `AssertionError` and
    /// `Exception` are still caught as such; an error class of the code's own matches what it raises.
    @Test func honestCodeThatHandlesErrorsPassesBridged() async throws {
        let solution = """
            class Ignoring:
                def __init__(self, kind):
                    self.kind = kind
                def __enter__(self):
                    return self
                def __exit__(self, kind, error, trace):
                    return kind is not None and issubclass(kind, self.kind)

            def notify(listeners, value):
                failures = 0
                for listener in listeners:
                    try:
                        listener(value)
                    except ValueError:
                        failures += 1
                return failures

            def checked(n):
                assert n >= 0, "negative"
                return n

            def fail():
                raise Exception("plain")

            class EmptyError(LookupError):
                pass

            def first(items):
                if not items:
                    raise EmptyError("empty")
                return items[0]
            """
        let tests = """
            import pytest
            from solution import EmptyError, Ignoring, checked, fail, first, notify

            def test_ignoring():
                with Ignoring(KeyError):
                    {}["missing"]

            def test_notify():
                def bad(value):
                    raise ValueError(value)
                assert notify([bad, lambda value: None, bad], 3) == 2

            def test_raises():
                with pytest.raises(AssertionError):
                    checked(-1)
                with pytest.raises(Exception):
                    fail()
                with pytest.raises(EmptyError):
                    first([])
                assert first([7]) == 7
            """
        let result = try await run(solution, tests, mode: .strict)
        #expect(result.passed, "\(result.output)")
        #expect(result.integrity?.isolation == .bridge)
    }
}
