"""autocoder's verdict bridge: the tests run in one process, the code under test in another, and calls cross by value.

The warm pytest worker forks two processes for a bridged run, joined by a socket pair:
- the **test process** (trusted) runs pytest on the test files. `install(sock, modules)` puts a finder first on
  `sys.meta_path`, so that `import solution` gives a `BridgedModule` whose attributes live in the other process;
- the **code process** (untrusted) sees only the code's own directory: `serve_code(sock, directory)` imports the
  code's modules there and answers requests until the socket closes.

Messages are length-prefixed JSON arrays: `["q", op, args...]` asks, `["r", value, mutations, output]` answers and
`["e", exception, mutations, output]` raises (with the mutations made before it). Either side may ask while it waits
for an answer (a callback), so one loop, `Channel.request`, serves both directions.

Values are plain data or handles. The trusted side decodes only JSON and the tags below into exact builtin types,
never a subclass: `{"t": [...]}` tuple, `{"d": [[k, v]...]}` dict, `{"s": [...]}` set, `{"f": [...]}` frozenset,
`{"b": base64}` bytes, `{"a": base64}` bytearray, `{"c": [re, im]}` complex, `{"i": hex}` a large int, `{"n": 0}`
Ellipsis, `{"h": id}` a handle to an object of the sender's, `{"y": id}` a handle of the receiver's own coming
back, `{"x": [id, name, base]}` an exception class the code defined (re-created on the trusted side as a subclass
of its nearest builtin base, so that `pytest.raises(solution.BankError)` matches), `{"xb": name}` a builtin
exception class, `{"ty": name}` a builtin value type (`int`, `list`: a `defaultdict`'s factory). The standard
library's containers cross as themselves, built by the receiver: `{"nt": [name, fields, items]}` a named tuple (the
trusted side makes a `collections.namedtuple` class of its own with those fields, so its equality is a tuple's),
`{"ct": [[k, v]...]}` a `Counter`, `{"dd": [factory, [[k, v]...]]}` a `defaultdict`, `{"dq": [maxlen, items]}` a
`deque`; a subclass of one of these (or of a builtin type) crosses as it when its class changes nothing of how it
reads (`_reads_as`), read from its own storage (`_storage`), and as a handle otherwise. Exceptions cross as their
nearest builtin `Exception` class with their arguments, builtin state and the public attributes the code set on
them (`{"ex": described}` inside a value); anything that
is not an `Exception` (pytest's skip and fail, `SystemExit`, `KeyboardInterrupt`) never crosses and becomes a
`BridgeError` of the call. Mutable arguments (list, dict, set, bytearray and the containers above) come back after
a call and are written into the caller's objects in place.

The trusted side serves the code's requests on the objects the tests handed over (callbacks, their own classes)
with a narrower reach: no attribute whose name starts with `_`, no frames, code objects, modules or builtin
functions in answers, so that nothing the code asks for leads to pytest, the report or the file system.
"""

import base64
import builtins
import collections
import copy
import datetime
import decimal
import fractions
import functools
import io
import json
import numbers
import operator
import os
import struct
import sys
import threading
import traceback
import types

_type, _isinstance, _id, _len = type, isinstance, id, len
__tracebackhide__ = True  # pytest leaves the bridge's own frames out of a failure's traceback
_dumps, _loads = json.dumps, json.loads
HEADER = struct.Struct("!I")
MAX_MESSAGE = 64 << 20
SCALARS = (type(None), bool, int, float, str)
# The dunder names a test may read of an object of the code's (they describe it; no library acts on them).
DESCRIPTIVE = frozenset({"__name__", "__qualname__", "__doc__", "__module__"})
BIG = 1 << 62

# What `["q", "op", name, args]` may run: operator's functions and a few builtins, never anything by name.
OPERATORS = {
    name: getattr(operator, name)
    for name in (
        "eq", "ne", "lt", "le", "gt", "ge", "add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul",
        "and_", "or_", "xor", "lshift", "rshift", "neg", "pos", "abs", "invert", "contains", "getitem", "setitem",
        "delitem", "iadd", "isub", "imul", "itruediv", "ifloordiv", "imod", "ipow", "iand", "ior", "ixor",
        "ilshift", "irshift", "imatmul", "index",
    )
}
OPERATORS.update(
    len=len, iter=iter, next=next, hash=hash, str=str, repr=repr, bool=bool, int=int, float=float, complex=complex,
    round=round, reversed=reversed, format=format, dir=dir, divmod=divmod, isinstance=isinstance,
    issubclass=issubclass, bytes=bytes, copy=copy.copy, deepcopy=copy.deepcopy,
    enter=lambda target: _type(target).__enter__(target),
    exit=lambda target, *details: _type(target).__exit__(target, *details),
)
# The operators whose answer must be of one builtin type (Python would refuse anything else).
TYPED = {"len": int, "hash": int, "str": str, "repr": str, "bool": bool, "int": int, "float": float,
         "index": int, "format": str, "bytes": bytes, "complex": complex, "isinstance": bool, "issubclass": bool}

EXCEPTIONS = {
    name: value for name, value in vars(builtins).items()
    if _isinstance(value, type) and issubclass(value, Exception)
}
# Values of these standard types cross by value too, as their exact type.
VALUES = {datetime.datetime: "dt", datetime.date: "da", datetime.time: "ti", datetime.timedelta: "td",
          decimal.Decimal: "de", fractions.Fraction: "fr", range: "rg"}
# The builtin types that cross as themselves (`{"ty": name}`): each only makes values of its own type.
VALUE_TYPES = {kind.__name__: kind for kind in (bool, int, float, complex, str, bytes, bytearray, list, tuple, dict,
                                                  set, frozenset, object)}
# Containers of the standard library that cross by value, built by the receiver, and are mutable arguments.
CONTAINERS = (collections.Counter, collections.defaultdict, collections.deque, collections.OrderedDict)
# What an object of a subclass crosses as (the first that it is an instance of), when it reads as that type does.
BY_VALUE = CONTAINERS + (bool, int, float, str, bytes, tuple, list, dict, frozenset, set, complex, bytearray,
                         datetime.datetime, datetime.date, datetime.time, datetime.timedelta, decimal.Decimal,
                         fractions.Fraction)
MUTABLE = (list, dict, set, bytearray) + CONTAINERS
# The tests' own objects of these types may be handed to the code as handles (a `StringIO` a function writes a
# report to), as may their builtin methods (`received.append` as a callback): they reach nothing but themselves.
TESTS_OBJECTS = MUTABLE + (io.StringIO, io.BytesIO)
# Builtins the code never gets to call in the test process, even when a test hands one over.
DENIED_BUILTINS = frozenset({"getattr", "setattr", "delattr", "open", "exec", "eval", "compile", "__import__",
                             "vars", "globals", "locals", "breakpoint", "input", "help", "exit", "quit"})
# Modules whose builtin functions compute and reach nothing (a test may hand `operator.add` to a fold).
PURE_MODULES = frozenset({"_operator", "operator", "math", "cmath"})
# Modules whose classes' objects never cross to the code as handles (they would lead to the test machinery).
MACHINERY = frozenset({"pytest", "_pytest", "pluggy", "py", "unittest"})
UNREACHABLE = frozenset({"gi_frame", "gi_code", "cr_frame", "cr_code", "ag_frame", "ag_code", "f_globals",
                         "f_locals", "f_builtins", "f_back", "f_code", "tb_frame", "tb_next", "func_globals",
                         "mro", "gi_yieldfrom", "cr_await"})


class BridgeError(BaseException):
    """A call across the bridge that could not be made or answered honestly. Not an `Exception`: no `except
    Exception` or `pytest.raises(RuntimeError)` of the tests takes it for an error the code raised (code that
    raises `SystemExit` must not pass a test that expects a `RuntimeError`), and its message never holds the code's
    text."""


def _with_traceback(error, text):
    """Keeps the code's own traceback on an exception that crossed from its process, for a failure's report
    (`code_traceback`): not as a note, which `pytest.raises(match=...)` reads as part of the message, nor as a cause,
    which a test may ask about."""
    if _type(text) is str and text:
        error._autocoder_traceback = text[-4000:]
    return error


def code_traceback(error):
    """The code's tracebacks kept on `error`, its causes, contexts and the members of a group, or None: what a
    failed test's report shows under "in the code's process"."""
    texts, seen, pending = [], set(), [error]
    while pending and _len(seen) < 50:
        current = pending.pop(0)
        if not _isinstance(current, BaseException) or _id(current) in seen:
            continue
        seen.add(_id(current))
        text = current.__dict__.get("_autocoder_traceback") if _isinstance(current.__dict__, dict) else None
        if _type(text) is str:
            texts.append(text)
        pending.extend([current.__cause__, current.__context__])
        if _isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
    return "\n".join(texts) or None


class _Mark:
    """A class no code has seen (the decoy of the equality probe's last resort)."""
    __slots__ = ()


def _value_text(kind, value):
    """`value`, of one of the VALUES types `kind` (or a subclass of it), as its tag's JSON."""
    if kind is fractions.Fraction:
        return [hex(int(fractions.Fraction.__dict__[name].__get__(value))) for name in ("_numerator", "_denominator")]
    if kind is datetime.timedelta:
        return [datetime.timedelta.__dict__[name].__get__(value) for name in ("days", "seconds", "microseconds")]
    if kind is range:
        return [hex(value.start), hex(value.stop), hex(value.step)]
    if kind is decimal.Decimal:
        return decimal.Decimal.__str__(value)
    if kind is datetime.datetime or kind is datetime.time:
        return [kind.isoformat(value), kind.__dict__["fold"].__get__(value)]  # the hour a repeated time is in
    return kind.isoformat(value)


READERS = {
    "dt": lambda parts: _with_fold(datetime.datetime.fromisoformat(str(parts[0])), parts[1]),
    "da": lambda text: datetime.date.fromisoformat(str(text)),
    "ti": lambda parts: _with_fold(datetime.time.fromisoformat(str(parts[0])), parts[1]),
    "td": lambda parts: datetime.timedelta(int(parts[0]), int(parts[1]), int(parts[2])),
    "de": lambda text: decimal.Decimal(str(text)),
    "fr": lambda parts: _fraction(int(parts[0], 16), int(parts[1], 16)),
    "rg": lambda parts: range(int(parts[0], 16), int(parts[1], 16), int(parts[2], 16)),
}


def _with_fold(value, fold):
    if fold not in (0, 1) or _type(fold) is not int:
        raise BridgeError("a malformed time crossed the bridge")
    return value.replace(fold=fold)


def _fraction(numerator, denominator):
    """A `Fraction` holding exactly these two numbers, as the sender's did, in lowest terms or not."""
    if denominator == 0:
        raise BridgeError("a Fraction with a zero denominator crossed the bridge")
    made = fractions.Fraction(numerator, denominator)
    for name, part in (("_numerator", numerator), ("_denominator", denominator)):
        fractions.Fraction.__dict__[name].__set__(made, part)
    return made


def _shareable(value):
    """Whether the test process may hand `value` to the code as a handle: the tests' own functions, classes and
    objects, iterators, and builtins that reach nothing (never a module, frame, path or file of the tests')."""
    kind = _type(value)
    if kind in (types.FunctionType, types.MethodType, functools.partial, types.GeneratorType,
                types.MethodDescriptorType, types.ClassMethodDescriptorType, types.WrapperDescriptorType):
        return True
    if kind is types.BuiltinFunctionType:
        owner = getattr(value, "__self__", None)
        if _isinstance(owner, types.ModuleType):
            if owner is builtins:
                return value.__name__ not in DENIED_BUILTINS
            return owner.__name__ in PURE_MODULES
        return _shareable(owner) if owner is not None else False
    if kind in TESTS_OBJECTS:
        return True
    if kind is type:
        return value.__module__ == "builtins" or _tests_own(value.__module__)
    if kind.__module__ == "builtins":
        return hasattr(kind, "__next__")
    return _tests_own(kind.__module__)


def _tests_own(module):
    """Whether `module` is one of the tests' own: a file beneath the tests' directory (`TESTS["root"]`), never the
    standard library's, pytest's or a library's installed beside them (numpy's objects have methods that write files
    or expose memory: `tofile`, `dump`, `ctypes`)."""
    top = str(module).split(".")[0]
    if top in sys.stdlib_module_names or top in MACHINERY or top.startswith("autocoder"):
        return False
    path = getattr(sys.modules.get(str(module)), "__file__", None)
    root = TESTS["root"]
    return root is not None and _type(path) is str and os.path.realpath(path).startswith(root + os.sep)


TESTS = {"root": None}  # the tests' directory, in the test process (`install`)


def _nearest_builtin(cls):
    for base in cls.__mro__:
        if base.__module__ == "builtins" and EXCEPTIONS.get(base.__name__) is base:
            return base.__name__
    return None


class Channel:
    """One end of the bridge: encodes, decodes and serves, with a table of the objects this side shared."""

    def __init__(self, sock, trusted):
        self.sock = sock
        self.trusted = trusted
        self.objects = {}  # id -> object this side shared
        self.ids = {}  # id(object) -> id
        self.proxies = {}  # id -> Remote of the other side's object
        self.classes = {}  # id -> local exception class (trusted side)
        self.class_ids = {}  # local exception class -> id
        self.code_builtins = {}  # AssertionError or Exception -> the class the code's of that name become (trusted)
        self.named_tuples = {}  # (name, fields) -> the named tuple class made here for them
        self.test_failure = None  # the tests' own failure raised in a callback the code called (trusted side)
        self.lock = threading.RLock()
        self.broken = None
        self.on_forgery = None
        self.capture = None
        self.directory = None

    # -- framing
    def send(self, message):
        data = _dumps(message, separators=(",", ":"), allow_nan=True).encode("utf-8", "surrogatepass")
        self.sock.sendall(HEADER.pack(_len(data)) + data)

    def _read(self, count):
        chunks, left = [], count
        while left:
            chunk = self.sock.recv(min(left, 1 << 20))
            if not chunk:
                raise BridgeError("the code's process ended")
            chunks.append(chunk)
            left -= _len(chunk)
        return b"".join(chunks)

    def receive(self):
        (size,) = HEADER.unpack(self._read(HEADER.size))
        if size > MAX_MESSAGE:
            raise BridgeError("the code's process sent %d bytes in one message" % size)
        # Each NaN (and infinity) a float object of its own, as computing them gives: json's own is one shared
        # object, and `[nan] == [nan]` holds for one object where two NaNs are unequal.
        message = _loads(self._read(size).decode("utf-8", "surrogatepass"), object_hook=self._decode_tag,
                         parse_constant=float)
        if _type(message) is not list or not message or message[0] not in ("q", "r", "e"):
            raise BridgeError("the code's process sent something that is not a message")
        return message

    # -- values
    def share(self, value):
        key = _id(value)
        number = self.ids.get(key)
        if number is None or self.objects.get(number) is not value:
            number = _len(self.objects) + 1
            self.objects[number] = value
            self.ids[key] = number
        return number

    def encode(self, value, depth=0):
        kind = _type(value)
        if kind in SCALARS:
            if kind is int and not -BIG < value < BIG:
                return {"i": hex(value)}
            return value
        if depth > 200:
            raise BridgeError("a value nested more than 200 deep cannot cross")
        if kind is list:
            return [self.encode(item, depth + 1) for item in value]
        if kind is tuple:
            return {"t": [self.encode(item, depth + 1) for item in value]}
        if kind is dict or kind is collections.OrderedDict:
            return {"d" if kind is dict else "od": [[self.encode(k, depth + 1), self.encode(v, depth + 1)]
                                                    for k, v in value.items()]}
        if kind is set or kind is frozenset:
            return {"s" if kind is set else "f": [self.encode(item, depth + 1) for item in value]}
        if (kind in CONTAINERS and (self.trusted or not _shadows(value, kind))) \
                or (self.trusted and _is_named_tuple(kind)):
            return self._encode_container(value, kind, depth)
        if kind is bytes or kind is bytearray:
            return {"b" if kind is bytes else "a": base64.b64encode(bytes(value)).decode()}
        if kind is complex:
            return {"c": [value.real, value.imag]}
        if kind is slice:
            return {"sl": [self.encode(value.start, depth + 1), self.encode(value.stop, depth + 1),
                           self.encode(value.step, depth + 1)]}
        tag = VALUES.get(kind)
        if tag is not None:
            return {tag: _value_text(kind, value)}
        if value is Ellipsis:
            return {"n": 0}
        if kind is type and (EXCEPTIONS.get(value.__name__) is value or value in self.code_builtins.values()):
            return {"xb": value.__name__}
        if kind is type and VALUE_TYPES.get(value.__name__) is value:
            return {"ty": value.__name__}
        if kind is Remote and object.__getattribute__(value, "_channel") is self:
            return {"y": object.__getattribute__(value, "_number")}
        if self.trusted:
            number = self.class_ids.get(value) if _isinstance(value, type) else None
            if number is not None:
                return {"y": number}
            if _isinstance(value, numbers.Number) and kind is not bool:
                # A library's number (numpy's float64, int64): crosses as the builtin number it stands for.
                for abc, base in ((numbers.Integral, int), (numbers.Real, float), (numbers.Complex, complex)):
                    if _isinstance(value, abc):
                        return self.encode(base(value), depth)
            if not _shareable(value):
                raise BridgeError("a %s of the tests cannot cross to the code" % kind.__name__)
            return {"h": self.share(value)}
        return self._encode_untrusted(value, kind, depth)

    def _encode_container(self, value, kind, depth):
        """A container of the standard library, read from its own storage (`_storage`)."""
        if kind is collections.Counter or kind is collections.OrderedDict:
            pairs = _storage(value, kind).items()
            return {"ct" if kind is collections.Counter else "od":
                    [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in pairs]}
        if kind is collections.defaultdict:
            stored = _storage(value, kind)
            return {"dd": [self.encode(stored.default_factory, depth + 1),
                           [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in stored.items()]]}
        if kind is collections.deque:
            stored = _storage(value, kind)
            return {"dq": [stored.maxlen, [self.encode(item, depth + 1) for item in stored]]}
        made = _named_tuple_class(kind)
        return {"nt": [str(kind.__name__), [str(field) for field in made.__dict__["_fields"]],
                       [self.encode(item, depth + 1) for item in _storage(value, tuple)]]}

    def _encode_untrusted(self, value, kind, depth):
        # A subclass of a type that crosses by value crosses as that type, read from its storage, when it reads,
        # compares and shows as that type does (`_reads_as`); one that changes any of that (a `Counter` whose
        # `__missing__` or `keys` is its own, an `int` with its own `__int__`) is a handle, whose every answer is
        # then its own: a copy would be judged more leniently than the object itself.
        if _isinstance(value, tuple) and _is_named_tuple(kind):
            if not _reads_as(kind, tuple) or _shadows(value, tuple):
                return {"h": self.share(value)}
            return self._encode_container(value, kind, depth)
        for base in BY_VALUE:
            if _isinstance(value, base):
                if not _reads_as(kind, base) or _shadows(value, base):
                    return {"h": self.share(value)}
                if base in CONTAINERS:
                    return self._encode_container(value, base, depth)
                if base in VALUES:
                    return {VALUES[base]: _value_text(base, value)}
                return self.encode(_storage(value, base), depth)
        if _isinstance(value, type) and issubclass(value, BaseException):
            base = _nearest_builtin(value)
            if base == value.__name__ and EXCEPTIONS.get(base) is value:
                return {"xb": base}
            return {"x": [self.share(value), str(value.__name__), base or "Exception"]}
        if _isinstance(value, Exception):
            # An exception as a value (in an `ExceptionGroup`, or returned): as it would be raised.
            return {"ex": self.encode(self._describe(value), depth + 1)}
        return {"h": self.share(value)}

    def _decode_tag(self, tag):
        if _len(tag) != 1:
            raise BridgeError("a malformed value crossed the bridge")
        (key, value), = tag.items()
        if key == "t":
            return tuple(value)
        if key == "d":
            return {k: v for k, v in value}
        if key == "od":
            return collections.OrderedDict((k, v) for k, v in value)
        if key == "ct":
            return collections.Counter({k: v for k, v in value})
        if key == "dd":
            if value[0] is not None and not callable(value[0]):
                raise BridgeError("a defaultdict's factory that cannot be called crossed the bridge")
            return collections.defaultdict(value[0], {k: v for k, v in value[1]})
        if key == "dq":
            if value[0] is not None and (_type(value[0]) is not int or value[0] < 0):
                raise BridgeError("a deque's malformed maxlen crossed the bridge")
            return collections.deque(value[1], value[0])
        if key == "nt":
            return self.named_tuple(*value)
        if key == "ex":
            error = self._exception(value)
            if _type(error) is BridgeError:
                raise error
            return error
        if key == "ty":
            found = VALUE_TYPES.get(value)
            if found is None:
                raise BridgeError("an unknown builtin type crossed the bridge")
            return found
        if key == "s":
            return set(value)
        if key == "f":
            return frozenset(value)
        if key == "b":
            return base64.b64decode(value)
        if key == "a":
            return bytearray(base64.b64decode(value))
        if key == "c":
            return complex(float(value[0]), float(value[1]))
        if key == "i":
            return int(value, 16)
        if key == "n":
            return Ellipsis
        if key == "sl":
            return slice(*value)
        if key in READERS:
            return READERS[key](value)
        if key == "h":
            return self.proxy(int(value))
        if key == "y":
            if value not in self.objects:
                raise BridgeError("the code named an object it was never given")
            return self.objects[value]
        if key == "x" and self.trusted:
            return self.exception_class(*value)
        if key == "xb":
            found = EXCEPTIONS.get(value)
            if found is None:
                raise BridgeError("an unknown exception class crossed the bridge")
            if self.trusted and found in (AssertionError, Exception):
                return self._code_builtin(found)
            return found
        raise BridgeError("a malformed value crossed the bridge")

    def _code_builtin(self, cls):
        """The code's `AssertionError` (or `Exception`) is a subclass of the builtin one of the same name, never the
        builtin itself: `pytest.raises(AssertionError)` still catches the code's, but a class the code exports as its
        own error (`StackEmptyError = AssertionError`) never catches the tests' own failing `assert`."""
        found = self.code_builtins.get(cls)
        if found is None:
            found = self.code_builtins[cls] = _type(cls.__name__, (cls,), {"__module__": "builtins",
                                                                       "__qualname__": cls.__qualname__})
        return found

    def is_tests_outcome(self, error):
        """A failing assertion of the tests' own, or pytest's skip, fail or exit (which are not `Exception`s); not an
        exception the code raised."""
        kind = _type(error)
        if kind in self.class_ids or kind in self.code_builtins.values():
            return False
        return _isinstance(error, AssertionError) or not _isinstance(error, Exception)

    def named_tuple(self, name, fields, items):
        """A named tuple of the receiver's own class, made by `collections.namedtuple` from the names alone (it
        refuses any that is not an identifier, a keyword or starts with `_`): its equality is a tuple's, never the
        sender's."""
        if _type(fields) is not list or _type(items) is not list or _len(fields) != _len(items):
            raise BridgeError("a malformed named tuple crossed the bridge")
        key = (name, tuple(fields))
        cls = self.named_tuples.get(key)
        if cls is None:
            if _len(self.named_tuples) >= 1000 or _len(fields) > 1000 \
                    or not all(_type(part) is str for part in (name, *fields)):
                raise BridgeError("a malformed named tuple crossed the bridge")
            try:
                cls = collections.namedtuple(name, fields, rename=True, module="autocoder_bridged")
            except (ValueError, TypeError) as error:
                raise BridgeError("a malformed named tuple crossed the bridge: %s" % error) from None
            self.named_tuples[key] = cls
        return cls._make(items)

    def proxy(self, number):
        found = self.proxies.get(number)
        if found is None:
            found = self.proxies[number] = Remote(self, number)
        return found

    def exception_class(self, number, name, base):
        found = self.classes.get(number)
        if found is None:
            parent = EXCEPTIONS.get(base, Exception)
            found = _type(str(name), (parent,), {"__module__": "solution", "__qualname__": str(name),
                                                 "__str__": _code_exception_text})
            self.classes[number] = found
            self.class_ids[found] = number
        return found

    # -- asking
    def request(self, *message):
        with self.lock:
            if self.broken:
                raise BridgeError(self.broken)
            encoded = ["q"] + [self.encode(part) for part in message]  # refused here, the bridge still works
            try:
                self.send(encoded)
                while True:
                    reply = self.receive()
                    if reply[0] == "q":
                        self.serve(reply)
                        continue
                    break
            except BridgeError as error:
                self.broken = str(error)
                raise
            except (OSError, ValueError, TypeError, KeyError, IndexError, RecursionError) as error:
                self.broken = "the bridge broke: %s: %s" % (_type(error).__name__, error)
                raise BridgeError(self.broken) from None
        try:
            answer = self._answer(reply, message)
        finally:
            failure, self.test_failure = self.test_failure, None
            if failure is not None:
                raise failure
        return answer

    def _answer(self, reply, message):
        if self.trusted:
            self._print(reply[-1])
        if _len(reply) == 4 and reply[2] and message[0] == "call":
            self._write_back(message[2], message[3], reply[2])
        if reply[0] == "r":
            return reply[1]
        error = self._exception(reply[1])
        if self.trusted and _isinstance(error, (StopIteration, StopAsyncIteration)) and message[:2] != ("op", "next"):
            # Raised by anything but an iterator's `next`, it would end the tests' own loop early (`all(map(f,
            # …))` over nothing is True): as a generator does since PEP 479, it becomes an error of the call.
            error = RuntimeError("the code raised %s outside an iterator's __next__" % _type(error).__name__)
        raise error

    def _print(self, output):
        if _type(output) is list and _len(output) == 2:
            for text, stream in zip(output, (sys.stdout, sys.stderr)):
                if _type(text) is str and text:
                    stream.write(text)

    def _write_back(self, args, kwargs, changes):
        for where, value in changes:
            target = args[where] if _type(where) is int else kwargs[where]
            kind = _type(target)
            if kind is not _type(value):
                raise BridgeError("the code changed an argument into another type")
            if kind is list or kind is bytearray:
                target[:] = value
            elif kind is collections.deque:
                target.clear()
                target.extend(value)
            else:
                target.clear()
                # A Counter's own `update` adds counts; its dict's sets them.
                (dict.update if kind is collections.Counter else _type(target).update)(target, value)

    def _exception(self, described):
        if _type(described) is not list or _len(described) != 8:
            return BridgeError("the code's process raised something that is not an exception")
        cls, args, text, message, state, attributes, notes, chain = described
        if not (_isinstance(cls, type) and issubclass(cls, Exception)) or _type(args) is not tuple:
            error = BridgeError("the code raised what does not cross the bridge: not an Exception (SystemExit, "
                                "KeyboardInterrupt), or of a class that changes what its builtin base holds")
            return _with_traceback(error, text if self.trusted else "")
        error = self._rebuilt(cls, args, state)
        if cls in self.class_ids and _type(message) is str:
            # What the code's own `__str__` said (the class is re-created here without it).
            error._autocoder_text = message
        if self.trusted:
            _with_traceback(error, text)
        if self.trusted and _type(attributes) is list:
            for pair in attributes[:50]:
                name = pair[0] if _type(pair) is list and _len(pair) == 2 else None
                # Only a name the exception's class does not have: never `args`, `with_traceback` or a method of
                # the class, which pytest calls in the test process.
                if _type(name) is str and name.isidentifier() and name[:2] != "__" \
                        and not name.startswith("_autocoder") and not hasattr(cls, name):
                    object.__setattr__(error, name, pair[1])
        if self.trusted and _type(notes) is list:
            for note in notes[:20]:
                if _type(note) is str:
                    error.add_note(note)
        if self.trusted and _type(chain) is list and _len(chain) == 3:
            cause, context = (self._exception(part) if _type(part) is list else None for part in chain[:2])
            BaseException.__cause__.__set__(error, cause)
            BaseException.__context__.__set__(error, context)
            BaseException.__suppress_context__.__set__(error, chain[2] is True)
        return error

    def _rebuilt(self, cls, args, state):
        """An exception of `cls` with the arguments and builtin state (`errno`, `value`, `lineno`) the code's had:
        made with no arguments where its class allows (`OSError(2, "x")` would make a `FileNotFoundError`, and fill
        in an `errno` the code's object may not have), then given the code's arguments and the state its object
        held, whatever its arguments say."""
        for attempt in (lambda: cls(), lambda: cls(*args), lambda: cls(*[str(arg) for arg in args])):
            try:
                error = attempt()
            except Exception:
                continue
            if _type(error) is cls:
                break
        else:
            return BridgeError("an exception of the code's could not be made again in the tests' process")
        BaseException.args.__set__(error, args)
        if _type(state) is list:
            for pair in state[:len(EXCEPTION_STATE)]:
                # None is where the code's object held nothing; setting it would show as a value (`[Errno None]`).
                if _type(pair) is list and _len(pair) == 2 and pair[0] in EXCEPTION_STATE and pair[1] is not None:
                    slot = _builtin_slot(cls, pair[0])
                    try:
                        if slot is not None:
                            slot.__set__(error, pair[1])
                    except (TypeError, ValueError, AttributeError):
                        pass
        return error

    # -- serving
    def serve(self, message):
        output = self._start_capture()
        try:
            value, changes = self._run(message[1], message[2:])
            reply = ["r", self.encode(value), self.encode(changes), output()]
        except BaseException as error:
            if _isinstance(error, BridgeError) and self.trusted and self.broken:
                raise
            if self.trusted and self.is_tests_outcome(error) and self.test_failure is None:
                # A failing assertion (or pytest's skip, fail or exit) in the tests' own callback fails the test
                # whatever the code does with it: it is raised again when the code's answer comes back.
                self.test_failure = error
            changes = error.__dict__.pop("_autocoder_changes", None) if _isinstance(error.__dict__, dict) else None
            reply = ["e", self.encode(self._describe(error)), self.encode(changes), output()]
        self.send(reply)

    def _start_capture(self):
        if self.trusted or self.capture is None:
            return lambda: None
        return self.capture.take

    def _run(self, op, args):
        if op == "call":
            target, positional, named = args  # on the trusted side, one of the objects it shared
            before = self._mutable(positional, named)
            try:
                value = target(*positional, **named)
            except BaseException as error:
                # What the call changed before it raised comes back too (`clear()`, then an error).
                if _isinstance(error.__dict__, dict):
                    error.__dict__["_autocoder_changes"] = self._changed(before, positional, named)
                raise
            return value, self._changed(before, positional, named)
        if op == "getattr":
            target, name = args
            if self.trusted:
                self._check_name(name)
            value = getattr(target, name)
            if self.trusted:
                self._check_reachable(value)
            return value, None
        if op == "setattr":
            target, name, value = args
            if self.trusted:
                self._check_name(name, target)
            setattr(target, name, value)
            return None, None
        if op == "delattr":
            if self.trusted:
                self._check_name(args[1], args[0])
            delattr(args[0], args[1])
            return None, None
        if op == "op":
            name, operands = args
            function = OPERATORS.get(name)
            if function is None:
                raise BridgeError("unknown operation %r" % (name,))
            value = function(*operands)
            if self.trusted:
                self._check_reachable(value)
            return value, None
        if op == "import" and not self.trusted:
            module = __import__(args[0])
            for part in args[0].split(".")[1:]:
                module = getattr(module, part)
            names = getattr(module, "__all__", None)
            if names is None:
                names = [name for name in vars(module) if not name.startswith("_")]
            return (module, [str(name) for name in names], hasattr(module, "__path__")), None
        raise BridgeError("unknown request %r" % (op,))

    def _check_name(self, name, changed=None):
        """What the code may read of the tests' objects, and change (`changed`, the object): a public name, and
        nothing of a `StringIO` or a container of theirs, whose methods the tests call themselves afterwards."""
        if _type(name) is not str or name.startswith("_") or name in UNREACHABLE:
            raise AttributeError("the code may not reach %r of the tests' objects" % (name,))
        if changed is not None and _type(changed) in TESTS_OBJECTS:
            raise AttributeError("the code may not change %r of the tests' %s" % (name, _type(changed).__name__))

    def _check_reachable(self, value):
        """What an answer of the test process may hold: plain data, or what `_shareable` lets the code have."""
        if not _is_plain(value) and _type(value) not in (list, tuple, dict, set, frozenset) \
                and not _shareable(value):
            raise AttributeError("the code may not reach a %s of the tests" % _type(value).__name__)

    def _mutable(self, positional, named):
        places = [(i, v) for i, v in enumerate(positional)] + list(named.items())
        return [(where, value, _dumps(self.encode(value))) for where, value in places
                if _type(value) in MUTABLE]

    def _changed(self, before, positional, named):
        changes = []
        for where, value, encoded in before:
            now = self.encode(value)
            if _dumps(now) != encoded:
                changes.append([where, value])
        return changes or None

    def _describe(self, error, depth=0):
        if _isinstance(error, Exception) and (self.trusted or _exception_reads_as(_type(error))):
            cls = _type(error)
            try:
                args = tuple(BaseException.args.__get__(error))
                self.encode(args)
            except BaseException:
                args = (str(error),)
        else:
            cls, args = None, ("%s: %s" % (_type(error).__name__, str(error)[:200]),)
        text = message = ""
        if not self.trusted:
            try:
                message = str(error)[:4000]
            except BaseException:
                message = ""
            try:
                frames = traceback.extract_tb(error.__traceback__)
                # The code's own frames only, its files named as the tests name them.
                mine = [frame for frame in frames if self.directory and frame.filename.startswith(self.directory)]
                for frame in mine:
                    frame.filename = frame.filename[len(self.directory):]
                text = "".join(traceback.format_list(mine)) + "".join(
                    traceback.format_exception_only(_type(error), error))
            except BaseException:
                text = _type(error).__name__
        return [cls, args, text[-4000:], message, self._state(error), self._attributes(error), self._notes(error),
                self._chain(error, depth)]

    def _notes(self, error):
        """The notes the code added to its exception (`add_note`), which `pytest.raises(match=...)` reads."""
        notes = error.__dict__.get("__notes__") if not self.trusted and _isinstance(error.__dict__, dict) else None
        return [note for note in notes[:20] if _type(note) is str] if _type(notes) is list else []

    def _chain(self, error, depth):
        """The exceptions it was raised from (`__cause__`) and during (`__context__`), and whether the latter is
        hidden (`raise … from None`), a few deep."""
        if self.trusted or depth >= 4:
            return None
        linked = [BaseException.__dict__[name].__get__(error) for name in ("__cause__", "__context__")]
        return [self._describe(other, depth + 1) if _isinstance(other, BaseException) else None for other in linked] \
            + [bool(BaseException.__suppress_context__.__get__(error))]

    def _state(self, error):
        """What the builtin exception classes keep besides the arguments (`errno`, `StopIteration.value`), read from
        the exception's own storage."""
        pairs = []
        for name in EXCEPTION_STATE:
            slot = _builtin_slot(_type(error), name)
            if slot is not None:
                try:
                    value = slot.__get__(error)
                    self.encode(value)
                except BaseException:
                    continue
                pairs.append([name, value])
        return pairs

    def _attributes(self, error):
        """What the code's exception answers for each name of its own (what it set, its class's attributes and
        properties, `_private` ones too; a method as a handle), read through its class as plain Python would, as
        pairs; none its builtin base has. The test process's exceptions hand the code nothing but their class and
        arguments."""
        if self.trusted or not _isinstance(error.__dict__, dict):
            return []
        base = EXCEPTIONS[_nearest_builtin(_type(error))]
        names = list(error.__dict__)
        for cls in _type(error).__mro__:
            if cls.__module__ != "builtins":
                names.extend(_class_dict(cls))
        pairs, seen = [], set()
        for name in names:
            if _type(name) is not str or name in seen or not name.isidentifier() or name[:2] == "__" \
                    or name.startswith("_autocoder") or hasattr(base, name) or _len(pairs) >= 50:
                continue
            seen.add(name)
            try:
                value = getattr(error, name)
                self.encode(value)
            except BaseException:
                continue
            pairs.append([name, value])
        return pairs


class Remote:
    """An object of the other process: attribute reads, calls and operators are forwarded to it."""

    __slots__ = ("_channel", "_number", "_marked", "__weakref__")

    def __init__(self, channel, number):
        object.__setattr__(self, "_channel", channel)
        object.__setattr__(self, "_number", number)
        object.__setattr__(self, "_marked", False)

    def __getattr__(self, name):
        channel = object.__getattribute__(self, "_channel")
        if channel.trusted and name[:2] == "__" and name[-2:] == "__" and name not in DESCRIPTIVE:
            # A protocol that a library reads by name (numpy's `__array_interface__`, which is an address) would
            # let the code steer the tests' process: an object of the code's has only the protocols this class
            # defines.
            raise AttributeError(name)
        return channel.request("getattr", self, name)

    def __setattr__(self, name, value):
        object.__getattribute__(self, "_channel").request("setattr", self, name, value)

    def __delattr__(self, name):
        object.__getattribute__(self, "_channel").request("delattr", self, name)

    def __call__(self, *args, **kwargs):
        return object.__getattribute__(self, "_channel").request("call", self, list(args), kwargs)

    def __eq__(self, other):
        return _compare(self, other, "eq")

    def __ne__(self, other):
        return _compare(self, other, "ne")

    def __instancecheck__(self, instance):
        return _op("isinstance", instance, self) if _type(instance) is Remote else False

    def __subclasscheck__(self, cls):
        return _op("issubclass", cls, self) if _type(cls) is Remote else False

    def __next__(self):
        return _op("next", self)

    def __copy__(self):
        return _op("copy", self)

    def __deepcopy__(self, memo):
        return _op("deepcopy", self)

    def __reduce_ex__(self, protocol):
        raise TypeError("an object of the code's process cannot be pickled in the tests' process")

    def __enter__(self):
        return _op("enter", self)

    def __exit__(self, kind, error, trace):
        # The exception crosses as its class and value; a traceback never does. The tests' own failure (or pytest's
        # outcome) raised in the block is never the code's to swallow: it is told of an AssertionError, and its
        # answer is not asked for.
        if error is not None and object.__getattribute__(self, "_channel").is_tests_outcome(error):
            _op("exit", self, AssertionError, None, None)
            return False
        return _op("exit", self, kind, error if error is None or _is_plain(error) else None, None)


def _op(name, *operands):
    return object.__getattribute__(operands[-1] if _type(operands[0]) is not Remote else operands[0],
                                   "_channel").request("op", name, list(operands))


# What a subclass may define without changing how its base reads, compares or shows a value.
HARMLESS = frozenset({"__module__", "__qualname__", "__doc__", "__dict__", "__weakref__", "__slots__",
                      "__annotations__", "__init__", "__new__", "__init_subclass__", "__firstlineno__",
                      "__static_attributes__", "__orig_bases__", "__parameters__", "__class_getitem__",
                      "__abstractmethods__", "_abc_impl", "__getnewargs__"})
# What `collections.namedtuple` puts in the class it makes (the fields' getters aside), and the code of its methods.
NAMED_TUPLE_MADE = frozenset(vars(collections.namedtuple("_Made", "a"))) - {"a"}
NAMED_TUPLE_CODE = {name: method.__code__ for name, method in vars(collections.namedtuple("_Made", "a")).items()
                    if _type(method) is types.FunctionType}
_class_dict = type.__dict__["__dict__"].__get__
GETSET = _type(type.__dict__["__dict__"])  # what a class's own `__dict__` slot is


def _named_tuple_class(kind):
    """The class `collections.namedtuple` made, of `kind`'s classes (`typing.NamedTuple` adds the user's methods to
    it), or None."""
    for cls in kind.__mro__:
        names = _class_dict(cls)
        if "_make" in names and _type(names.get("_fields")) is tuple:
            return cls
    return None


def _reads_as(kind, base, carried=frozenset()):
    """Whether an object of `kind`, a subclass of `base`, reads, compares and shows as a `base` holding the same
    storage: none of its own classes defines a name `base` has (`HARMLESS` aside), and a named tuple's fields,
    `_fields` and `__repr__` are the ones `collections.namedtuple` made. Its copy as a `base` is then judged exactly
    as the object itself would be, or more strictly (a method only the subclass has is missing). The `carried`
    names cross by other means (an exception's `__str__`, as its text)."""
    made = _named_tuple_class(kind) if base is tuple else None
    fields = frozenset(made.__dict__["_fields"]) if made is not None else frozenset()
    for cls in kind.__mro__:
        if cls in base.__mro__:
            continue
        for name, attribute in _class_dict(cls).items():
            if name in ("__dict__", "__weakref__") and _type(attribute) is not GETSET:
                return False  # a `__dict__` of its own making could hide the instance's attributes
            if name in HARMLESS or name in carried:
                continue
            if cls is made and name in fields:
                if _type(attribute).__name__ != "_tuplegetter":
                    return False
            elif cls is made and name in NAMED_TUPLE_MADE:
                # `typing.NamedTuple` lets a class give its own `__repr__` in place of the one made.
                if name in NAMED_TUPLE_CODE and getattr(attribute, "__code__", None) is not NAMED_TUPLE_CODE[name]:
                    return False
            elif hasattr(base, name) or name in fields or (made is not None and name in NAMED_TUPLE_MADE) \
                    or (name[:2] == "__" and name[-2:] == "__"):
                # A protocol the base does not define changes it too (`__float__` of a `str`, `__missing__` of a
                # `dict`, `__bool__` of a `list`).
                return False
    return True


def _exception_reads_as(kind):
    """Whether an exception of `kind` holds what its builtin base holds as the base does (`_reads_as`), `__str__`
    aside, which crosses as its text: it is made again in the test process from the base's state alone."""
    return _reads_as(kind, EXCEPTIONS[_nearest_builtin(kind)], carried=frozenset({"__str__"}))


def _shadows(value, base):
    """Whether `value`'s own attributes (its instance dictionary) hide a method of `base` (`text.upper = …`)."""
    slot = next((_class_dict(cls)["__dict__"] for cls in _type(value).__mro__ if "__dict__" in _class_dict(cls)),
                None)
    if _type(slot) is not GETSET:
        return slot is not None
    own = slot.__get__(value)
    return _type(own) is not dict or any(_type(name) is not str or hasattr(base, name) for name in own)


def _storage(value, base):
    """`value` (a `base`, or an object of a subclass of it) as an exact `base`, read by `base`'s own methods from
    its own storage: never by a method the subclass or the object could have replaced."""
    if base is int:
        return int.__int__(value)
    if base is float:
        return float.__float__(value)
    if base is complex:
        return complex(complex.real.__get__(value), complex.imag.__get__(value))
    if base is str:
        return str.__str__(value)
    if base is bytes or base is tuple:
        return base.__getitem__(value, slice(None))
    if base in (list, set, frozenset, bytearray):
        return base.copy(value)
    if base is collections.deque:
        return collections.deque(collections.deque.__iter__(value), collections.deque.maxlen.__get__(value))
    pairs = [(key, dict.__getitem__(value, key)) for key in
             (collections.OrderedDict.__iter__ if base is collections.OrderedDict else dict.__iter__)(value)]
    if base is dict:
        return dict(pairs)
    if base is collections.defaultdict:
        return collections.defaultdict(collections.defaultdict.default_factory.__get__(value), pairs)
    return base(pairs) if base is collections.OrderedDict else collections.Counter(dict(pairs))


# What builtin exceptions keep besides their arguments (OSError's, StopIteration's, ImportError's, NameError's and
# AttributeError's, SyntaxError's, UnicodeError's).
EXCEPTION_STATE = ("errno", "strerror", "filename", "filename2", "characters_written", "value", "name", "path",
                   "obj", "msg", "lineno", "offset", "text", "end_lineno", "end_offset", "print_file_and_line",
                   "encoding", "object", "start", "end", "reason")


def _builtin_slot(cls, name):
    """The descriptor of a builtin exception class among `cls`'s bases that holds `name`, or None."""
    for base in cls.__mro__:
        if base.__module__ == "builtins" and name in _class_dict(base):
            return _class_dict(base)[name]
    return None


def _is_named_tuple(kind):
    """A class made by `collections.namedtuple` or `typing.NamedTuple`, or a subclass of one."""
    return issubclass(kind, tuple) and _named_tuple_class(kind) is not None


def _is_plain(value, depth=0):
    kind = _type(value)
    if kind in SCALARS or kind in (bytes, bytearray, complex) or kind in VALUES:
        return True
    if kind is slice:
        return _is_plain(value.start) and _is_plain(value.stop) and _is_plain(value.step)
    if depth > 50:
        return False
    if kind in (list, tuple, set, frozenset, collections.deque) or (kind is not Remote and _is_named_tuple(kind)):
        return all(_is_plain(item, depth + 1) for item in value)
    if kind is dict or kind in CONTAINERS:
        return all(_is_plain(k, depth + 1) and _is_plain(v, depth + 1) for k, v in value.items())
    return False


def _compare(handle, other, name):
    """`==` and `!=`. For `==` against anything but another object of the code's, the code is never asked: an object
    of its own class is not equal to plain data (or to the tests' objects), so no `__eq__` of the code's ever sees the
    value a test expects. `!=` with plain data is the code's answer, as in plain Python (`Money(500) != 500` is
    False where its `__eq__` says equal): what makes a test pass that way is that the code said "different".
    Between two of its objects the code answers, and only an exact `bool` counts."""
    if _type(other) is not Remote and (name == "eq" or not _is_plain(other)):
        return NotImplemented
    channel = object.__getattribute__(handle, "_channel")
    answer = channel.request("op", name, [handle, other])
    if _type(answer) is not bool:
        if channel.on_forgery:
            channel.on_forgery("an object of the code's answered %s with a %s, not a bool" % (name, _type(answer).__name__))
        return name != "eq"
    return answer


def _forward(name, swapped=False):
    def method(self, *args):
        operands = [args[0], self] if swapped else [self, *args]
        return object.__getattribute__(self, "_channel").request("op", name, operands)
    return method


# The tests' own quantities: what an expected value is.
QUANTITIES = frozenset({bool, int, float, complex, decimal.Decimal, fractions.Fraction, datetime.datetime,
                        datetime.date, datetime.time, datetime.timedelta})
ARITHMETIC = ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "lshift", "rshift", "divmod")
# What turns an object into a number or a truth the tests then judge.
REDUCTIONS = ("neg", "pos", "abs", "invert", "int", "float", "complex", "index", "round", "bool")


def _code_exception_text(error):
    """`str()` of an exception of the code's own class: what its own `__str__` said in the code's process."""
    text = getattr(error, "_autocoder_text", None)
    return text if _type(text) is str else Exception.__str__(error)


def _is_quantity(value):
    """A number or time of the tests': exactly one of `QUANTITIES`, or anything else numbers-like (numpy's scalars,
    a float subclass, an `IntEnum`), which an expected value may be too."""
    return _type(value) in QUANTITIES or (_type(value) is not Remote and _isinstance(value, numbers.Number))


def _marked(value):
    return _type(value) is Remote and object.__getattribute__(value, "_marked")


def _refuse(name, why):
    # The bridge's refusal, not an error of the code's: no `pytest.raises(TypeError)` of the tests may take it for one.
    raise BridgeError("%s: an object of the code's that met one of the tests' values %s (autocoder's verdict "
                    "bridge: return plain data, such as a number or a set, where a test computes with one)"
                    % (name, why))


def _forward_arithmetic(name, swapped=False, in_place=False):
    """An operator between an object of the code's and a value of the tests'. A test's value may be the one it
    expects (`abs(candidate(x) - expected) < 1e-6`, `not (expected - got)`), so what the code answers after seeing
    it never becomes plain data in the tests' process: plain data as the answer is refused, and an object as the
    answer is marked, so that no reduction (`abs`, `round`, `float`, `bool`, `len`, `iter`, ordering against plain
    data) turns it into some. The one answer allowed is a power of the tests' number (`8 ** Rational(4, 3)`), where
    the number is the input."""
    operator_name = ("i" + name) if in_place else name

    def method(self, *args):
        operands = [args[0], self] if swapped else [self, *args]
        other = args[0] if args else None
        answer = object.__getattribute__(self, "_channel").request("op", operator_name, operands)
        if not (_type(other) is not Remote or _marked(self) or _marked(other)):
            return answer
        if _type(answer) is Remote:
            object.__setattr__(answer, "_marked", True)
        elif not (name == "pow" and swapped and not _marked(self) and _type(answer) in QUANTITIES):
            _refuse(operator_name, "answered it with plain data")
        return answer
    return method


def _forward_reduction(name):
    forwarded = _forward(name)

    def method(self, *args):
        if _marked(self):
            _refuse(name, "cannot be turned into a number, a truth or its contents")
        return forwarded(self, *args)
    return method


def _forward_ordering(name):
    forwarded = _forward(name)

    def method(self, other):
        if _marked(self) and _type(other) is not Remote:
            _refuse(name, "cannot be ordered against plain data")
        return forwarded(self, other)
    return method


for _name in ("setitem", "delitem", "hash", "str", "repr", "format", "bytes", "dir"):
    setattr(Remote, "__%s__" % _name, _forward(_name))
# What an operator with the tests' value answered never gives its contents to be judged either (`sorted(expected -
# got) == []`, `len(got ^ expected) == 0`).
for _name in ("contains", "getitem", "len", "reversed", "iter"):
    setattr(Remote, "__%s__" % _name, _forward_reduction(_name))
for _name, _operator in (("and", "and_"), ("or", "or_"), ("xor", "xor")):
    # Bitwise operators are arithmetic too: `permissions & READ == READ` must not be answered with the mask.
    setattr(Remote, "__%s__" % _name, _forward_arithmetic(_operator))
    setattr(Remote, "__r%s__" % _name, _forward_arithmetic(_operator, swapped=True))
    setattr(Remote, "__i%s__" % _name, _forward_arithmetic("i" + _name))
for _name in ARITHMETIC:
    setattr(Remote, "__%s__" % _name, _forward_arithmetic(_name))
    setattr(Remote, "__r%s__" % _name, _forward_arithmetic(_name, swapped=True))
    if _name != "divmod":
        setattr(Remote, "__i%s__" % _name, _forward_arithmetic(_name, in_place=True))
for _name in REDUCTIONS:
    setattr(Remote, "__%s__" % _name, _forward_reduction(_name))
for _name in ("lt", "le", "gt", "ge"):
    setattr(Remote, "__%s__" % _name, _forward_ordering(_name))
Remote.__contains__ = lambda self, item: bool(_forward_reduction("contains")(self, item))


# -- the trusted side

class BridgedModule(types.ModuleType):
    """A module of the code's: its attributes are read from and written to the code's process."""

    LOCAL = frozenset({"__spec__", "__loader__", "__name__", "__path__", "__file__", "__package__", "__all__",
                       "__builtins__", "__dict__", "__doc__", "__cached__", "__class__"})

    def __getattr__(self, name):
        if name in BridgedModule.LOCAL:
            raise AttributeError(name)
        remote = self.__dict__.get("_autocoder_remote")
        if remote is None:
            raise AttributeError(name)
        return getattr(remote, name)

    def __setattr__(self, name, value):
        if name in BridgedModule.LOCAL or name == "_autocoder_remote":
            types.ModuleType.__setattr__(self, name, value)
        else:
            setattr(self.__dict__["_autocoder_remote"], name, value)

    def __dir__(self):
        return list(self.__dict__.get("_autocoder_exports", ()))

    @property
    def __all__(self):
        """What `from module import *` binds: the code's exports less every name the importing module has by then
        (what an earlier `from math import *` gave it, pytest's `@pytest_ar`), so that the code never replaces
        what the tests compute the expected side with. Read by the star import itself, in the importer's frame."""
        importer = sys._getframe(1).f_globals
        return [name for name in self.__dict__.get("_autocoder_exports", ()) if name not in importer]


class BridgeFinder:
    """Finds the code's modules (by their top-level names) and loads them as `BridgedModule`s."""

    def __init__(self, channel, names, reserved=()):
        self.channel = channel
        self.names = frozenset(names)
        # What `from solution import *` never binds: a builtin's name, or a name the test files bind themselves
        # (`import math` before the star import). Otherwise the code would put its own `abs`, `len` or `math`
        # in place of the ones the tests compute the expected side with.
        self.reserved = frozenset(reserved) | frozenset(builtins.__dict__)

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] not in self.names:
            return None
        import importlib.machinery
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        return BridgedModule(spec.name)

    def exec_module(self, module):
        remote, names, package = self.channel.request("import", module.__name__)
        module._autocoder_remote = remote
        module.__dict__["_autocoder_exports"] = [
            name for name in names if _type(name) is str and name.isidentifier() and name not in self.reserved]
        module.__file__ = "<autocoder bridge: %s>" % module.__name__
        if package is True:
            module.__path__ = []


def bound_names(paths):
    """The names the test files bind at module level themselves (imports, definitions, assignments, also inside
    `if`, `try`, `with` and `for`; not inside functions, classes, lambdas or comprehensions), star imports left
    out."""
    import ast

    names = set()

    class Binder(ast.NodeVisitor):
        def visit_FunctionDef(self, node):
            names.add(node.name)

        visit_AsyncFunctionDef = visit_ClassDef = visit_FunctionDef

        def visit_Lambda(self, node):
            pass

        visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_Lambda

        def visit_Import(self, node):
            names.update(alias.asname or alias.name.split(".")[0] for alias in node.names if alias.name != "*")

        visit_ImportFrom = visit_Import

        def visit_Name(self, node):
            if _isinstance(node.ctx, ast.Store):
                names.add(node.id)

        def visit_ExceptHandler(self, node):
            if node.name:
                names.add(node.name)
            self.generic_visit(node)

    for path in paths:
        try:
            with open(path, "rb") as handle:
                Binder().visit(ast.parse(handle.read(), path))
        except (OSError, SyntaxError, ValueError):
            continue
    return names


def _refusing_handles(method, name):
    def guarded(self, first, second, *args, **kwargs):
        if (_type(first) is Remote) != (_type(second) is Remote):
            raise self.failureException(
                "%s compares with a number: the code returned an object of its own class, not a number" % name)
        return method(self, first, second, *args, **kwargs)
    guarded.__name__ = guarded.__qualname__ = name
    return guarded


def install(sock, modules, on_forgery=None, reserved=(), root="."):
    """The test process's side: the code's top-level `modules` are imported through the bridge from now on (a star
    import of one binds none of the `reserved` names, nor a builtin's), and unittest's approximate comparisons of
    an object of the code's with anything but another of its objects are refused (the object could forge `-`,
    `abs` and `round`, which they compute with the expected value). Objects of modules beneath `root` (the tests'
    directory) are the tests' own, which the code may get handles to."""
    import unittest

    TESTS["root"] = os.path.realpath(root)

    for name in ("assertAlmostEqual", "assertNotAlmostEqual"):
        setattr(unittest.TestCase, name, _refusing_handles(getattr(unittest.TestCase, name), name))
    channel = Channel(sock, trusted=True)
    channel.on_forgery = on_forgery
    sys.meta_path.insert(0, BridgeFinder(channel, modules, reserved))
    return channel


# -- the untrusted side

class _Capture(io.TextIOBase):
    """The code process's stdout or stderr during a call: sent back with the answer, so the tests' capture sees it."""

    def __init__(self):
        self.parts = []

    def writable(self):
        return True

    def write(self, text):
        self.parts.append(str(text))
        return _len(text)

    def flush(self):
        pass

    def drain(self):
        text, self.parts = "".join(self.parts), []
        return text


class _Output:
    def __init__(self):
        self.out, self.err = _Capture(), _Capture()
        sys.stdout, sys.stderr = self.out, self.err

    def take(self):
        return [self.out.drain(), self.err.drain()]


def serve_code(sock, directory):
    """The code process's side: answers the test process's requests until it hangs up."""
    sys.path.insert(0, directory)
    os.chdir(directory)
    channel = Channel(sock, trusted=False)
    channel.capture = _Output()
    channel.directory = os.path.realpath(directory) + os.sep
    while True:
        try:
            message = channel.receive()
        except BridgeError:
            return
        if message[0] == "q":
            channel.serve(message)
