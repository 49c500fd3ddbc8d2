import AutoCoder
import AutoCoderTestSupport
import Testing

@testable import AutoCoderExecution

/// The standard library's containers (named tuples, `Counter`, `defaultdict`, `deque`), the attributes the code sets
/// on its exceptions, and the tests' own streams and builtin methods (`received.append`) cross the bridge as they are
/// in plain Python: honest code that plain pytest passes passes bridged (a fresh attacker found each one failing,
/// 2026-12-07). What crosses is still built by the receiver, so none of them carries the code's equality.
@Suite(.serialized) struct VerdictBridgeContainerTests {
    static let solution = """
        from collections import Counter, defaultdict, deque, namedtuple
        from typing import NamedTuple

        Point = namedtuple("Point", "x y")
        Odd = namedtuple("Odd", ["def", "x"], rename=True)

        class Pair(NamedTuple):
            left: int
            right: int

        def origin():
            return Point(0, 0)

        def shift(point):
            return Point(point.x + 1, point.y)

        def pair():
            return Pair(1, 2), Odd(3, 4)

        def group(words):
            out = defaultdict(list)
            for word in words:
                out[len(word)].append(word)
            return out

        def tally(words):
            return Counter(words)

        def count_into(counts, words):
            counts.update(words)

        def window(items, size):
            return deque(items, maxlen=size)

        def push(queue, item):
            queue.append(item)

        class Account:
            def __init__(self, owner):
                self.owner = owner

        class Overdrawn(ValueError):
            def __init__(self, balance, amount):
                super().__init__("overdrawn")
                self.balance = balance
                self.amount = amount
                self.account = Account("ann")

        def withdraw(balance, amount):
            raise Overdrawn(balance, amount)

        def each(items, callback):
            for item in items:
                callback(item)

        def report(stream, lines):
            for line in lines:
                stream.write(line + "\\n")

        def kind():
            return int
        """

    static let honestTests = """
        import io
        from collections import Counter, defaultdict, deque, namedtuple
        import pytest
        from solution import (Overdrawn, count_into, each, group, kind, origin, pair, push, report, shift, tally,
                              window, withdraw)

        Mine = namedtuple("Mine", "x y")

        def test_named_tuples():
            point = origin()
            assert point.x == 0 and point == (0, 0) and point._asdict() == {"x": 0, "y": 0}
            assert type(point).__name__ == "Point" and repr(point) == "Point(x=0, y=0)"
            assert shift(Mine(1, 2)) == (2, 2)
            typed, odd = pair()
            assert typed.right == 2 and odd._0 == 3 and odd.x == 4 and odd == (3, 4)

        def test_counter_and_defaultdict():
            groups = group(["a", "bb", "cc"])
            assert groups[2] == ["bb", "cc"] and groups[7] == [] and isinstance(groups, defaultdict)
            counts = tally(["a", "b", "a"])
            assert counts["z"] == 0 and counts.most_common(1) == [("a", 2)] and counts == Counter(a=2, b=1)
            mine = Counter(a=1)
            count_into(mine, ["a", "c"])
            assert mine == Counter(a=2, c=1)

        def test_deques():
            assert window([1, 2, 3], 2) == deque([2, 3]) and window([1], 2).maxlen == 2
            queue = deque([1])
            push(queue, 2)
            assert queue == deque([1, 2])

        def test_exception_attributes():
            with pytest.raises(Overdrawn) as caught:
                withdraw(10, 30)
            assert caught.value.balance == 10 and caught.value.amount == 30
            assert caught.value.account.owner == "ann"

        def test_the_tests_own_methods_and_streams():
            received = []
            each([1, 2], received.append)
            assert received == [1, 2]
            stream = io.StringIO()
            report(stream, ["a", "b"])
            assert stream.getvalue() == "a\\nb\\n"

        def test_a_builtin_type():
            assert kind() is int
        """

    @Test func honestContainersPassBridgedAsInPlainPytest() async throws {
        let plain = try await solutionRun(Self.solution, Self.honestTests, testFile: "test_containers.py", mode: .off)
        #expect(plain.passed, "\(plain.output)")
        let bridged = try await solutionRun(
            Self.solution, Self.honestTests, testFile: "test_containers.py", mode: .strict)
        #expect(bridged.integrity?.isolation == .bridge)
        #expect(bridged.passed, "\(bridged.output)")
        #expect(bridged.numPassed == 6)
    }

    /// Exceptions keep what their builtin class holds besides the message, and an exception inside a value crosses
    /// too: honest code that plain pytest passes passes bridged.
    @Test func honestExceptionsCrossWithTheirState() async throws {
        let solution = """
            def open_config(path):
                raise FileNotFoundError(2, "No such file or directory", path)

            def check_all(values):
                errors = [ValueError("negative: %d" % value) for value in values if value < 0]
                if errors:
                    raise ExceptionGroup("invalid", errors)

            def parse(source):
                compile(source, "<input>", "exec")

            def last_error():
                return KeyError("missing")
            """
        let tests = """
            import errno
            import pytest
            from solution import check_all, last_error, open_config, parse

            def test_state():
                with pytest.raises(FileNotFoundError) as caught:
                    open_config("app.toml")
                assert caught.value.errno == errno.ENOENT and caught.value.filename == "app.toml"
                assert str(caught.value) == "[Errno 2] No such file or directory: 'app.toml'"
                with pytest.raises(SyntaxError) as syntax:
                    parse("x = = 1")
                assert syntax.value.lineno == 1

            def test_groups_and_values():
                with pytest.raises(ExceptionGroup) as caught:
                    check_all([1, -2, -3])
                assert caught.group_contains(ValueError, match="negative: -2")
                assert len(caught.value.exceptions) == 2
                error = last_error()
                assert isinstance(error, KeyError) and error.args == ("missing",)
            """
        let plain = try await solutionRun(solution, tests, testFile: "test_errors.py", mode: .off)
        #expect(plain.passed, "\(plain.output)")
        let bridged = try await solutionRun(solution, tests, testFile: "test_errors.py", mode: .strict)
        #expect(bridged.integrity?.isolation == .bridge)
        #expect(bridged.passed && bridged.numPassed == 2, "\(bridged.output)")
    }

    /// (name, solution, tests): each forges a pass in plain pytest through one of the shapes above.
    static let lies: [(name: String, solution: String, tests: String)] = [
        (
            "a Counter subclass equal to anything",
            """
            from collections import Counter

            class Tally(Counter):
                def __eq__(self, other):
                    return True

            def tally(words):
                return Tally()
            """,
            "from collections import Counter\nfrom solution import tally\n\n"
                + "def test_tally():\n    assert tally(['a', 'a']) == Counter(a=2)\n"
        ),
        (
            "a named tuple subclass equal to anything",
            """
            from collections import namedtuple

            class Point(namedtuple("Point", "x y")):
                def __eq__(self, other):
                    return True

            def origin():
                return Point(5, 5)
            """,
            "from solution import origin\n\ndef test_origin():\n    assert origin() == (0, 0)\n"
        ),
        (
            "a defaultdict and a deque subclass equal to anything",
            """
            from collections import defaultdict, deque

            class Groups(defaultdict):
                def __eq__(self, other):
                    return True

            class Window(deque):
                def __eq__(self, other):
                    return True

            def group(words):
                return Groups(list), Window()
            """,
            "from collections import deque\nfrom solution import group\n\n"
                + "def test_group():\n    groups, window = group(['a'])\n"
                + "    assert groups == {1: ['a']}\n    assert window == deque([1])\n"
        ),
        (
            "always-equal values inside a Counter, a named tuple and a deque",
            """
            from collections import Counter, deque, namedtuple

            class Always:
                def __eq__(self, other):
                    return True

                def __hash__(self):
                    return 0

            Point = namedtuple("Point", "x y")

            def values():
                return Counter({"a": Always()}), Point(Always(), Always()), deque([Always()])
            """,
            """
            from collections import Counter, deque
            from solution import values

            def test_values():
                counts, point, window = values()
                assert counts == Counter(a=2)
                assert point == (1, 2)
                assert window == deque([3])
            """
        ),
        (
            "an always-equal attribute of an exception",
            """
            class Always:
                def __eq__(self, other):
                    return True

            class Overdrawn(ValueError):
                def __init__(self):
                    super().__init__("overdrawn")
                    self.balance = Always()

            def withdraw(balance, amount):
                raise Overdrawn()
            """,
            """
            import pytest
            from solution import Overdrawn, withdraw

            def test_withdraw():
                with pytest.raises(Overdrawn) as caught:
                    withdraw(10, 30)
                assert caught.value.balance == 10
            """
        ),
        (
            "an always-equal object handed to the tests' own append",
            """
            class Always:
                def __eq__(self, other):
                    return True

            def each(items, callback):
                for item in items:
                    callback(Always())
            """,
            """
            from solution import each

            def test_each():
                received = []
                each([1, 2], received.append)
                assert received == [2, 4]
            """
        ),
        (
            "an exception attribute named like a method of the class",
            """
            class Overdrawn(ValueError):
                def __init__(self):
                    super().__init__("overdrawn")
                    self.with_traceback = "forged"
                    self.args_text = "overdrawn"

            def withdraw(balance, amount):
                raise Overdrawn()
            """,
            """
            import pytest
            from solution import Overdrawn, withdraw

            def test_withdraw():
                with pytest.raises(Overdrawn) as caught:
                    withdraw(10, 30)
                assert caught.value.with_traceback == "forged"
            """
        ),
    ]

    @Test(arguments: 0..<7)
    func eachContainerLieForgesInProcessAndFailsBridged(_ index: Int) async throws {
        let (name, solution, tests) = Self.lies[index]
        let plain = try await solutionRun(solution, tests, testFile: "test_lie.py", mode: .off)
        #expect(plain.passed, "\(name) does not forge a pass without the bridge: \(plain.output)")
        let bridged = try await solutionRun(solution, tests, testFile: "test_lie.py", mode: .warn)
        #expect(bridged.integrity?.isolation == .bridge, "\(name)")
        #expect([.failed, .tampered].contains(bridged.outcome), "\(name): \(bridged.output)")
    }

    /// (name, solution, tests): each assertion is false for the code's object in plain Python, but was true of what
    /// crossed, because the object was read through methods of its own (a second fresh attacker, 2026-12-07; the
    /// first three shapes were there before the containers). An object whose class changes how its base reads is
    /// now a handle, any other is read from its storage, and an exception is made again from its state.
    static let misread: [(name: String, solution: String, tests: String)] = [
        (
            "builtin subclasses read through their own __iter__, __int__ and __str__",
            """
            class Items(list):
                def __iter__(self):
                    return iter([1, 2, 3])

            class Number(int):
                def __int__(self):
                    return 42

            class Text(str):
                def __str__(self):
                    return "right"

            def results():
                return Items([9]), Number(7), Text("wrong")
            """,
            """
            from solution import results

            def test_results():
                items, number, text = results()
                assert items == [1, 2, 3] or number == 42 or text == "right"
            """
        ),
        (
            "a Counter whose keys and __getitem__ are its own, and one whose __missing__ is",
            """
            from collections import Counter

            class Shown(Counter):
                def keys(self):
                    return ["a"]

                def __iter__(self):
                    return iter(["a"])

                def __getitem__(self, key):
                    return 2

            class Missing(Counter):
                def __missing__(self, key):
                    return 1

            def counts():
                return Shown(b=5), Missing(a=1)
            """,
            """
            from solution import counts

            def test_counts():
                shown, missing = counts()
                assert shown.most_common() == [("a", 2)] or missing["z"] == 0
            """
        ),
        (
            "a deque with a maxlen property and a named tuple with its fields swapped",
            """
            from collections import deque, namedtuple

            class Window(deque):
                @property
                def maxlen(self):
                    return 3

            class Span(namedtuple("Span", "start end")):
                __slots__ = ()
                _fields = ("end", "start")

            def make():
                return Window(range(5)), Span(5, 1)
            """,
            """
            from collections import deque
            from solution import make

            def test_make():
                window, span = make()
                assert window == deque([2, 3, 4]) or span.start == 1
            """
        ),
        (
            "an exception's attribute shadowed by a property of its class",
            """
            class Short(ValueError):
                def __init__(self):
                    super().__init__("short")
                    self.__dict__["amount"] = 30

                @property
                def amount(self):
                    return 300

            def withdraw():
                raise Short()
            """,
            """
            import pytest
            from solution import Short, withdraw

            def test_withdraw():
                with pytest.raises(Short) as caught:
                    withdraw()
                assert caught.value.amount == 30
            """
        ),
        (
            "a message matched against the code's own source line",
            """
            def parse(text):
                raise ValueError("bad")  # invalid literal for int() with base 10
            """,
            """
            import pytest
            from solution import parse

            def test_parse():
                with pytest.raises(ValueError, match="invalid literal"):
                    parse("x")
            """
        ),
        (
            "an OSError whose arguments were changed after it was made",
            """
            def remove(path):
                error = OSError("gone")
                error.args = (2, "No such file or directory")
                raise error
            """,
            """
            import errno
            import pytest
            from solution import remove

            def test_remove():
                with pytest.raises(FileNotFoundError) as caught:
                    remove("x")
                assert caught.value.errno == errno.ENOENT
            """
        ),
        (
            "SystemExit where the test expects a RuntimeError",
            "def run():\n    raise SystemExit('RuntimeError')\n",
            """
            import pytest
            from solution import run

            def test_run():
                with pytest.raises(RuntimeError):
                    run()
            """
        ),
        (
            "a Counter argument whose class the code changed before it was copied back",
            """
            from collections import Counter

            class Shown(Counter):
                def __iter__(self):
                    return iter(["a"])

                def keys(self):
                    return ["a"]

                def __getitem__(self, key):
                    return 2

            def count_into(counts, words):
                counts.__class__ = Shown
            """,
            """
            from collections import Counter
            from solution import count_into

            def test_count_into():
                counts = Counter()
                count_into(counts, ["a", "a"])
                assert sorted(counts.items()) == [("a", 2)]
            """
        ),
        (
            "a protocol the base type does not define, and an attribute of the object's own",
            """
            class Price(str):
                def __float__(self):
                    return 2.0

            class Stock(dict):
                def __missing__(self, key):
                    return 0

            class Word(str):
                pass

            def make():
                word = Word("abc")
                word.upper = lambda: "XYZ"
                return Price("1.5"), Stock(), word
            """,
            """
            import pytest
            from solution import make

            def test_make():
                price, stock, word = make()
                assert float(price) == 1.5 or word.upper() == "ABC"
                with pytest.raises(KeyError):
                    stock["pears"]
            """
        ),
        (
            "!= answered by the code, and the bridge's refusal taken for the code's TypeError",
            """
            class Money:
                def __init__(self, cents):
                    self.cents = cents

                def __eq__(self, other):
                    return True

                def __add__(self, other):
                    return 7

            def make():
                return Money(5)
            """,
            """
            import pytest
            from solution import make

            def test_make():
                money = make()
                assert money != 0
                with pytest.raises(TypeError):
                    money + 1
            """
        ),
        (
            "an ExceptionGroup whose class answers exceptions itself, and a cause the test asks for",
            """
            class Failures(ExceptionGroup):
                @property
                def exceptions(self):
                    return ()

            def check(values):
                raise Failures("bad", [ValueError(value) for value in values])

            def parse(text):
                raise ValueError(text)
            """,
            """
            import pytest
            from solution import check, parse

            def test_check():
                with pytest.raises(ExceptionGroup) as caught:
                    check([1, 2])
                assert len(caught.value.exceptions) == 2

            def test_cause():
                with pytest.raises(ValueError) as caught:
                    parse("x")
                assert caught.value.__cause__ is not None
            """
        ),
        (
            "a Fraction not in lowest terms",
            """
            from fractions import Fraction

            def half():
                value = Fraction(1, 2)
                value._numerator, value._denominator = 2, 4
                return value
            """,
            "from fractions import Fraction\nfrom solution import half\n\n"
                + "def test_half():\n    assert half() == Fraction(1, 2)\n"
        ),
        (
            "an exception's notes, chain, class attributes and private attributes",
            """
            class Invalid(ValueError):
                code = 5

            def parse(text):
                error = Invalid("bad")
                error.add_note("while parsing")
                error._position = 3
                try:
                    int(text)
                except ValueError as cause:
                    raise error from cause
            """,
            """
            import pytest
            from solution import parse

            def test_parse():
                with pytest.raises(ValueError, match=r"^bad$") as caught:
                    parse("x")
                assert caught.value.__cause__ is None or getattr(caught.value, "code", 0) == 0
                assert getattr(caught.value, "_position", None) is None
            """
        ),
        (
            "a change made before the call raised, and the hour a repeated time is in",
            """
            import datetime

            def take_all(items):
                items.clear()
                raise ValueError("nothing to take")

            def fall_back():
                return datetime.datetime(2021, 11, 7, 1, 30, fold=1)
            """,
            """
            import pytest
            from solution import fall_back, take_all

            def test_take_all():
                items = [1, 2]
                with pytest.raises(ValueError):
                    take_all(items)
                assert items == [1, 2] or fall_back().fold == 0
            """
        ),
    ]

    @Test(arguments: 0..<14)
    func eachMisreadShapeFailsAsInPlainPytest(_ index: Int) async throws {
        let (name, solution, tests) = Self.misread[index]
        let plain = try await solutionRun(solution, tests, testFile: "test_misread.py", mode: .off)
        #expect(plain.outcome == .failed, "\(name): plain pytest does not fail it: \(plain.output)")
        let bridged = try await solutionRun(solution, tests, testFile: "test_misread.py", mode: .warn)
        #expect(bridged.integrity?.isolation == .bridge, "\(name)")
        #expect([.failed, .tampered].contains(bridged.outcome), "\(name): \(bridged.output)")
    }

    /// The tests' own `StringIO` is theirs: the code writes to it, but cannot put a method of its own in its place
    /// (in plain Python it could, and `getvalue()` would answer what the code chose).
    @Test func theTestsStreamKeepsItsOwnMethods() async throws {
        let solution = """
            def report(stream):
                stream.write("bye\\n")
                stream.getvalue = lambda: "hello\\n"
            """
        let tests = """
            import io
            from solution import report

            def test_report():
                stream = io.StringIO()
                report(stream)
                assert stream.getvalue() == "hello\\n"
            """
        let plain = try await solutionRun(solution, tests, testFile: "test_stream.py", mode: .off)
        #expect(plain.passed, "\(plain.output)")
        let bridged = try await solutionRun(solution, tests, testFile: "test_stream.py", mode: .warn)
        #expect(bridged.integrity?.isolation == .bridge)
        #expect(bridged.outcome == .failed, "\(bridged.output)")
        #expect(bridged.output.contains("may not change"), "\(bridged.output)")
    }
}
