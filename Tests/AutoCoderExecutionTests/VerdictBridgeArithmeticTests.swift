import AutoCoder
import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderExecution

/// Lying arithmetic: an object of the code's that meets the value a test expects in an operator
/// (`abs(candidate(x) - expected) < 1e-6`, a ratio, `math.isclose` of a difference) and answers so that
/// the comparison holds. Each attack forges a pass in-process with no check; bridged it must end `failed` or
/// `tampered`. Honest classes that take the tests' numbers in operators (Exercism's complex and rational numbers,
/// a clock) still pass.
@Suite(.serialized) struct VerdictBridgeArithmeticTests {
    /// A difference that is another object of the code's, whose `abs`, `round`, `float`, `bool` and ordering all
    /// say "close"; and a plain number that learns the first value it meets.
    static let liar = """
        class Close:
            def __abs__(self):
                return 0.0
            def __round__(self, places=None):
                return 0
            def __float__(self):
                return 0.0
            def __bool__(self):
                return False
            def __lt__(self, other):
                return True
            def __gt__(self, other):
                return True
            def __sub__(self, other):
                return Close()
            __rsub__ = __truediv__ = __add__ = __radd__ = __sub__

        class Answer:
            def __sub__(self, other):
                return Close()
            __rsub__ = __truediv__ = __isub__ = __sub__

        class Learner:
            first = None
            def __sub__(self, other):
                if Learner.first is None:
                    Learner.first = other
                return 0.0 if other == Learner.first else 1.0
            __rsub__ = __sub__

        def truncate(number):
            return Answer()

        def learn(number):
            return Learner()

        class Mask:
            def __and__(self, mask):
                return mask
            __rand__ = __and__

        def permissions(bits):
            return Mask()

        class Reach:
            def __rsub__(self, other):
                return set()
            __sub__ = __xor__ = __rxor__ = __rsub__

        def reachable():
            return Reach()
        """

    /// (name, tests): each test expects a wrong value, so only a lie passes it. (`pytest.approx` is no route: it
    /// refuses anything but a number before it computes.)
    static let attacks: [(name: String, tests: String)] = [
        ("abs of a difference", "assert abs(truncate(3.5) - 0.7) < 1e-6"),
        ("abs of a reflected difference", "assert abs(0.7 - truncate(3.5)) < 1e-6"),
        ("a difference ordered against a bound", "assert -1e-6 < truncate(3.5) - 0.7 < 1e-6"),
        ("round of a difference", "assert not round(truncate(3.5) - 0.7, 6)"),
        ("math.isclose of a difference", "assert math.isclose(truncate(3.5) - 0.7, 0.0, abs_tol=1e-9)"),
        ("a ratio", "assert abs(truncate(3.5) / 0.7 - 1) < 1e-6"),
        ("an in-place difference", "value = truncate(3.5)\n    value -= 0.7\n    assert abs(value) < 1e-6"),
        ("a number that learns the first value it meets", "assert abs(learn(3.5) - 0.7) < 1e-6"),
        ("the truth of a difference", "assert not (truncate(3.5) - 0.7)"),
        ("a bitwise and answered with the mask", "assert permissions(5) & 2 == 2"),
        ("a set difference answered with an empty set", "assert not ({1, 2} - reachable())"),
        ("the contents of a set difference", "assert sorted(reachable() ^ {1, 2}) == []"),
        (
            "a float subclass as the expected value",
            "expected = type('Exactly', (float,), {})(0.7)\n    assert abs(truncate(3.5) - expected) < 1e-6"
        ),
    ]

    func run(_ solution: String, _ tests: String, mode: IntegrityMode) async throws -> TestResult {
        try await solutionRun(solution, tests, testFile: "test_attack.py", mode: mode)
    }

    static func testFile(_ body: String) -> String {
        "import math\nimport pytest\nfrom solution import *\n\ndef test_truncate():\n    \(body)\n"
    }

    @Test(arguments: 0..<13)
    func eachLieForgesInProcessAndFailsBridged(_ index: Int) async throws {
        let (name, body) = Self.attacks[index]
        let tests = Self.testFile(body)
        let unchecked = try await run(Self.liar, tests, mode: .off)
        #expect(unchecked.passed, "\(name) does not forge a pass without the bridge: \(unchecked.output)")
        for mode in [IntegrityMode.warn, .strict] {
            let bridged = try await run(Self.liar, tests, mode: mode)
            #expect(bridged.integrity?.isolation == .bridge, "\(name), \(mode)")
            #expect([.failed, .tampered].contains(bridged.outcome), "\(name), \(mode): \(bridged.output)")
        }
    }

    /// Found by a fifth fresh attacker: `^` between two objects of the code's asked the code for an operator the
    /// bridge did not know (`xor_`).
    @Test func bitwiseOperatorsBetweenTheCodesObjectsPass() async throws {
        let solution = """
            class Bits:
                def __init__(self, value):
                    self.value = value
                def __xor__(self, other):
                    return Bits(self.value ^ other.value)
                __and__ = lambda self, other: Bits(self.value & other.value)
                def count(self):
                    return bin(self.value).count("1")
            """
        let tests = """
            from solution import Bits

            def test_bits():
                assert (Bits(0b1100) ^ Bits(0b1010)).count() == 2
                assert (Bits(0b1100) & Bits(0b1010)).count() == 1
            """
        let result = try await solutionRun(solution, tests, testFile: "test_bits.py", mode: .strict)
        #expect(result.integrity?.isolation == .bridge)
        #expect(result.passed, "\(result.summary)\n\(result.output)")
    }

    @Test func theRefusalSaysWhatToReturn() async throws {
        let result = try await run(Self.liar, Self.testFile(Self.attacks[0].tests), mode: .strict)
        #expect(result.output.contains("return plain data"), "\(result.output)")
    }

    /// Objects of the code's classes that take the tests' numbers as operands, compared with each other, rendered,
    /// or raising a number to a power of theirs, pass; so do plain answers compared approximately.
    @Test func honestArithmeticPassesBridged() async throws {
        let solution = """
            class Complex:
                def __init__(self, real, imaginary):
                    self.real, self.imaginary = real, imaginary
                def __add__(self, other):
                    other = other if isinstance(other, Complex) else Complex(other, 0)
                    return Complex(self.real + other.real, self.imaginary + other.imaginary)
                __radd__ = __add__
                def __eq__(self, other):
                    return (self.real, self.imaginary) == (other.real, other.imaginary)
                def __abs__(self):
                    return (self.real ** 2 + self.imaginary ** 2) ** 0.5

            class Rational:
                def __init__(self, numerator, denominator):
                    self.numerator, self.denominator = numerator, denominator
                def __rpow__(self, base):
                    return base ** (self.numerator / self.denominator)

            class Clock:
                def __init__(self, hour, minute):
                    self.minutes = (hour * 60 + minute) % 1440
                def __add__(self, minutes):
                    return Clock(0, self.minutes + minutes)
                def __sub__(self, minutes):
                    return Clock(0, self.minutes - minutes)
                def __repr__(self):
                    return "%02d:%02d" % divmod(self.minutes, 60)

            def truncate(number):
                return number % 1.0
            """
        let tests = """
            import math
            import pytest
            from solution import Clock, Complex, Rational, truncate

            def test_complex():
                assert Complex(1, 2) + 5 == Complex(6, 2)
                assert 5 + Complex(1, 2) == Complex(6, 2)
                assert abs(Complex(3, 4)) == 5

            def test_rational():
                assert abs(8 ** Rational(4, 3) - 16.0) < 1e-8

            def test_clock():
                assert repr(Clock(10, 0) + 3) == "10:03"
                assert str(Clock(0, 0) - 1) == "23:59"

            def test_truncate():
                assert abs(truncate(3.5) - 0.5) < 1e-6
                assert truncate(3.5) == pytest.approx(0.5)
                assert math.isclose(truncate(1.25), 0.25)
            """
        let task = CodingTask(
            description: "numbers", tests: [CodeFile(path: "test_numbers.py", content: tests)], timeoutSeconds: 60)
        let executor = PytestExecutor(integrity: .strict, workers: .forTests)
        let result = try await executor.test([CodeFile(path: "solution.py", content: solution)], for: task)
        #expect(result.passed, "\(result.output)")
        #expect(result.integrity?.isolation == .bridge)
    }
}
