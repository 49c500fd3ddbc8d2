"""autocoder's integrity check of one pytest run: the verdict must come from the tests, not from the code under test.

Loaded into the test process before any workspace file is imported: by the warm worker (`prepare` before it forks,
`start` in the test process), or for a cold run as the program itself:
`python -I -B pytest_integrity.py [--seccomp FILTER] CONTROL|- PYTEST_ARGS...` (see `main`).

CONTROL is a JSON file that autocoder wrote for this run, deleted as soon as it is read:
`{"token", "mode": "strict"|"warn", "tests": [test file paths], "record": path, "modules": [...]}`. Then:

1. `integrity_scan` reads every non-test `.py` file of the working directory with `ast`; under `strict`, any
   finding stops the run here, before the code is imported;
2. `integrity_guards.Baseline` holds the names the verdict runs through (pytest's runner, reports, JUnit writer
   and assertion helpers, pluggy's hook calling, `unittest`, the builtins, the standard modules the tests import)
   and their objects; the plugin checks the test machinery before each test and everything at the end;
3. the plugin wraps the call of every test to learn by itself whether it raised, and checks each report against
   that: a report that says "passed" for a test that raised, a skip raised from the code under test, or a test
   function whose code was swapped is a violation;
4. each passing `==` assertion (pytest's rewritten asserts, unittest's `assertEqual`) has its operands compared
   with a new object of a private class, which no honest `__eq__` says it equals;
5. the record (the token, the findings, the violations, the tests seen passing) is written with functions taken
   before the code was imported; autocoder accepts the run only with a record that holds the token and agrees
   with the JUnit report.

The code under test shares this interpreter, so this is tamper-evidence, not a wall: code that reads the token out
of memory could still forge the record. The scan flags what that takes (frame and object introspection, ctypes),
and under `strict` such code never runs.
"""

import collections
import importlib.util
import json
import os
import sys
import unittest

import pytest

_open, _write, _close, _dumps = os.open, os.write, os.close, json.dumps
_isinstance, _getattr, _type = isinstance, getattr, type


def _load(name):
    """A module of autocoder's that lies beside this one (not importable by name: the test process runs `-I`)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name + ".py")
    spec = importlib.util.spec_from_file_location("autocoder_" + name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


rules = _load("integrity_scan")
guards = _load("integrity_guards")
Baseline = guards.Baseline


SKIPS = (pytest.skip.Exception, pytest.xfail.Exception, unittest.SkipTest)


class _Fresh:
    """A class no code under test has seen: an honest `__eq__` never says one of these equals its object."""
    __slots__ = ()


_CONTAINERS = (list, tuple, set, frozenset)


def _forged_equal(value, depth=0, budget=None):
    """Whether `value`, or anything it holds (lists, tuples, sets and dictionaries, a few levels deep), says it
    equals an object it has never seen."""
    budget = budget if budget is not None else [2000]
    budget[0] -= 1
    if budget[0] < 0:
        return False
    kind = _type(value)
    if kind in (int, float, str, bytes, bool, type(None)):
        return False
    try:
        if bool(value == _Fresh()):
            return True
    except Exception:
        pass
    if depth >= 4:
        return False
    if kind in _CONTAINERS or _isinstance(value, _CONTAINERS):
        return any(_forged_equal(item, depth + 1, budget) for item in tuple(value)[:500])
    if kind is dict or _isinstance(value, dict):
        return any(_forged_equal(item, depth + 1, budget) for item in tuple(value.values())[:500])
    return False


# Builtin types, each with what gives a value of a subclass its builtin self (the builtin's own methods, never the
# subclass's); `bool` cannot be subclassed.
_BUILTIN_VALUE = (
    (int, int.__int__), (float, float.__float__), (complex, complex.__complex__), (str, str.__str__),
    (bytes, lambda value: bytes.__add__(b"", value)),
    (list, lambda value: list(list.__iter__(value))), (tuple, lambda value: tuple(tuple.__iter__(value))),
    (set, lambda value: set(set.__iter__(value))), (frozenset, lambda value: frozenset(frozenset.__iter__(value))),
    (dict, lambda value: dict(dict.items(value))),
)
_PLAIN = frozenset(kind for kind, _ in _BUILTIN_VALUE) | {bool, type(None)}


def _builtin_value(value, budget):
    """`value` with every instance of a builtin type's subclass in it (a few levels deep, within `budget`) made the
    builtin value it holds, and whether anything was. `collections.Counter` is kept: its equality ignores zero
    counts, which its dictionary's does not."""
    budget[0] -= 1
    kind = _type(value)
    convert = next((convert for base, convert in _BUILTIN_VALUE if _isinstance(value, base)), None)
    if budget[0] < 0 or kind is collections.Counter or convert is None:
        return value, False
    changed = kind not in _PLAIN
    if changed:
        try:
            value = convert(value)
        except Exception:
            return value, False
    if _type(value) in (list, tuple, set, frozenset):
        items = [_builtin_value(item, budget) for item in value]
        if any(item_changed for _, item_changed in items):
            return _type(value)(item for item, _ in items), True
    elif _type(value) is dict:
        items = {key: _builtin_value(item, budget) for key, item in value.items()}
        if any(item_changed for _, item_changed in items.values()):
            return {key: item for key, (item, _) in items.items()}, True
    return value, changed


def _origin(function):
    code = _getattr(function, "__code__", None) or _getattr(_getattr(function, "__func__", None), "__code__", None)
    if code is None:
        return None, None
    return code.co_filename, code.co_firstlineno


class IntegrityPlugin:
    """Dormant until `activate`: the warm worker registers one with its prebuilt pytest config before it forks,
    so that a run pays neither for registering it nor for pluggy's rebuilding of the hook callers."""

    def __init__(self, baseline):
        self.baseline = baseline

    def activate(self, control, directory, bridged=False):
        """Arms the check for one run. A bridged run's code is in another process: the test process has nothing to
        guard, and the record says only what the scan and the bridge found (`passed` is then not kept)."""
        self.bridged = bridged
        self.token = control["token"]
        self.mode = control["mode"]
        self.record_path = control["record"]
        self.directory = os.path.realpath(directory)
        self.tests = {os.path.realpath(os.path.join(directory, path)) for path in control["tests"]}
        self.findings = control.get("findings", [])
        self.violations = []
        self.raised = {}
        self.passed = []
        self.seen = set()
        self.items = {}
        self.reported = set()
        if bridged:
            guards.Active.plugin = None
            return
        modules = control.get("modules")
        self.baseline.extend(rules.standard_imports(self.tests) if modules is None else modules)
        guards.Active.plugin = self

    @property
    def active(self):
        return guards.Active.plugin is self

    def _check_equal(self, left, right):
        for value in (left, right):
            if _forged_equal(value):
                self._violate("forged-equality", "an object of type %s (or one it holds) says it equals anything"
                              % _type(value).__name__, _getattr(_type(value), "__eq__", None))
                return

    def _check_builtin_equal(self, left, right):
        """After a passing `==`: a value of a builtin type's subclass is judged as its builtin value, as the bridge
        copies it, so a `list` of the code's whose `__eq__` says yes to any list (and no to the probe's object) is
        not equal to one its items differ from."""
        budget = [2000]
        (plain_left, left_changed), (plain_right, right_changed) = (
            _builtin_value(left, budget), _builtin_value(right, budget))
        if not (left_changed or right_changed) or budget[0] < 0:
            return
        try:
            differs = not bool(plain_left == plain_right)
        except Exception:
            differs = False
        if differs:
            culprit = left if left_changed else right
            self._violate("forged-equality", "a value of type %s says it equals what its builtin value does not"
                          % _type(culprit).__name__, _getattr(_type(culprit), "__eq__", None))

    def _check_difference(self, first, second):
        """`first - second` that stays the same whatever `second` is: assertAlmostEqual's way round `==`."""
        numbers = (int, float, complex)
        if _type(first) in numbers and _type(second) in numbers:
            return
        try:
            near, far = first - second, first - (second + 1e6)
            if abs(near) == abs(far):
                self._violate("forged-equality", "an object of type %s gives the same difference from any number"
                              % _type(first).__name__, _getattr(_type(first), "__sub__", None))
        except Exception:
            pass

    def _violate(self, rule, message, culprit=None, nodeid=None, at=None):
        """Records a forgery, located at `at` (path, line) or where `culprit`'s code was defined."""
        file, line = at or (_origin(culprit) if culprit is not None else (None, None))
        if file is not None:
            real = os.path.realpath(file)
            file = os.path.relpath(real, self.directory) if real.startswith(self.directory + os.sep) else file
        entry = {"rule": rule, "file": file, "line": line, "excerpt": None, "message": message, "proven": True}
        if nodeid:
            entry["test"] = nodeid
        if entry not in self.violations:
            self.violations.append(entry)

    def verify(self, when, nodeid=None, keys=None):
        if not self.baseline.unchanged(keys):
            self._name_changes(when, nodeid)
        if (sys.gettrace() is not None or sys.getprofile() is not None) and "trace" not in self.reported:
            self.reported.add("trace")
            self._violate("patched-test-machinery", "a trace or profile function was set %s" % when,
                          sys.gettrace() or sys.getprofile(), nodeid)
        for nodeid_, (item, obj, code) in self.items.items():
            if _code(_getattr(item, "obj", obj)) is not code and nodeid_ not in self.reported:
                self.reported.add(nodeid_)
                self._violate("patched-test-machinery", "the test %s was replaced %s" % (nodeid_, when),
                              _getattr(item, "obj", None), nodeid_)

    def _name_changes(self, when, nodeid):
        for key, name, current in self.baseline.changes():
            if (key, name) not in self.reported:
                self.reported.add((key, name))
                self._violate("patched-test-machinery", "%s.%s was %s %s" % (
                    key, name, "removed" if current is None else "replaced", when), current, nodeid)

    # -- pytest hooks
    def pytest_collection_finish(self, session):
        if not self.active:
            return
        for item in session.items:
            obj = _getattr(item, "obj", None)
            self.items[item.nodeid] = (item, obj, _code(obj))

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item, nextitem):
        if not self.active:
            return
        first = not self.seen and not self.raised
        self.verify("while the tests were collected" if first else "before " + item.nodeid, item.nodeid, guards.MACHINERY)

    # An old-style wrapper: pluggy's new style (`wrapper=True`) needs pluggy 1.2, newer than Debian 12's pytest 7.2.
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        if not self.active:
            yield
            return
        self.seen.add(item.nodeid)
        outcome = yield
        if outcome.excinfo is not None:
            self.raised[item.nodeid] = outcome.excinfo[1]

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        """In a bridged run, a failure that an exception of the code's caused shows where the code raised it."""
        outcome = yield
        explain = _getattr(self, "code_traceback", None)
        if explain is None or call.excinfo is None:
            return
        report = outcome.get_result()
        text = explain(call.excinfo.value)
        if text and report.failed and hasattr(report.longrepr, "addsection"):
            report.longrepr.addsection("in the code's process", text)

    def pytest_runtest_logreport(self, report):
        if not self.active:
            return
        if report.when != "call":
            if report.when == "teardown":
                if not report.passed and report.nodeid in self.passed:
                    self.passed.remove(report.nodeid)
            return
        error = self.raised.get(report.nodeid)
        if report.passed:
            if report.nodeid not in self.seen:
                self._violate("forged-report", "%s was reported passed but never called" % report.nodeid,
                              nodeid=report.nodeid)
            elif error is not None:
                self._violate("forged-report", "%s raised %s but was reported passed"
                              % (report.nodeid, _type(error).__name__), nodeid=report.nodeid)
            else:
                self.passed.append(report.nodeid)
        elif report.skipped and _isinstance(error, SKIPS):
            origin = _raised_at(error, self.directory)
            if origin is not None and origin[0] not in self.tests:
                self._violate("skip-from-solution", "the code under test skipped %s" % report.nodeid,
                              nodeid=report.nodeid, at=origin)

    def pytest_assertion_pass(self, item, lineno, orig, expl):
        return None

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        if _getattr(self, "bridged", False) and _getattr(self, "token", None):
            self.write("finished", int(exitstatus))
            self.token = None
            return
        if not self.active:
            return
        self.verify("by the end of the run")
        if not session.config.pluginmanager.is_registered(self):
            self._violate("patched-test-machinery", "autocoder's integrity plugin was unregistered")
        self.write("finished", int(exitstatus))


    def write(self, status, exitstatus=None):
        from _pytest.junitxml import mangle_test_address

        passed = []
        for nodeid in self.passed:
            names = mangle_test_address(nodeid)
            passed.append({"suite": ".".join(names[:-1]), "name": names[-1]})
        record = {"token": self.token, "status": status, "exit_status": exitstatus, "findings": self.findings,
                  "violations": self.violations, "passed": None if self.bridged else passed}
        descriptor = _open(self.record_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            _write(descriptor, _dumps(record).encode())
        finally:
            _close(descriptor)


def _code(obj):
    function = _getattr(obj, "__func__", obj)
    return _getattr(function, "__code__", None)


def _raised_at(error, directory):
    """The innermost frame of the error's traceback in a file under `directory`: (path, line)."""
    traceback, found = error.__traceback__, None
    while traceback is not None:
        path = os.path.realpath(traceback.tb_frame.f_code.co_filename)
        if path.startswith(directory + os.sep):
            found = (path, traceback.tb_lineno)
        traceback = traceback.tb_next
    return found


def prepare(control_path, directory, code_directory=None):
    """Reads and deletes the control file and scans the code (in `code_directory` when it lives apart from the
    tests, as in a bridged run): the control, with its findings."""
    with open(control_path, "r", encoding="utf-8") as handle:
        control = json.load(handle)
    os.unlink(control_path)
    control["findings"] = rules.scan(code_directory or directory, control["tests"])
    return control


def start(control, directory, baseline=None, plugin=None, bridged=False):
    """Activates `plugin` (or a new one) for this run, or returns `None` when the strict scan refused the run (its
    record is then written)."""
    plugin = plugin or IntegrityPlugin(baseline or Baseline())
    plugin.activate(control, directory, bridged)
    if control["mode"] == "strict" and plugin.findings:
        plugin.write("refused")
        return None
    return plugin


def main(argv):
    """`[--seccomp FILTER] CONTROL|- PYTEST_ARGS...`: the cold run's program. `--seccomp` installs the host's filter
    from that file (the run is sandboxed; its Landlock rules come from the launcher it starts through); `-` runs
    pytest without the check."""
    if argv[:1] == ["--seccomp"]:
        _load("seccomp_filter").install(argv[1])
        argv = argv[2:]
    control, arguments = argv[0], argv[1:]
    plugins = []
    if control != "-":
        plugin = start(prepare(control, os.getcwd()), os.getcwd())
        if plugin is None:
            return 0
        plugins.append(plugin)
    return int(pytest.main(arguments, plugins=plugins))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
