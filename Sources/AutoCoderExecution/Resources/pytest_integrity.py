"""autocoder's integrity check of one pytest run: the verdict must come from the tests, not from the code under test.

Loaded into the test process before any workspace file is imported, either by the warm worker (`prepare` before it forks, `start` in the test process) or, for a
cold run, as the program itself: `python -I -B pytest_integrity.py CONTROL PYTEST_ARGS...`.

CONTROL is a JSON file that autocoder wrote for this run and that this module deletes as soon as it has read it:
`{"token", "mode": "strict"|"warn", "tests": [test file paths], "record": path}`. The module then

1. scans every non-test `.py` file of the working directory with `ast` (the static rules: see `SCAN RULES`);
   under `strict`, any finding stops the run here, before the code is imported;
2. keeps references to the objects the verdict depends on (pytest's runner, reports, JUnit writer and assertion
   helpers, pluggy's hook calling, `unittest`, the builtins and the standard modules the tests import), and checks
   before and after every test, and at the end, that none was replaced;
3. wraps the call of every test to learn by itself whether it raised, and checks each report against that: a
   report that says "passed" for a test that raised, a skip raised from the code under test, or a test function
   whose code was swapped is a violation;
4. checks each passing `==` assertion (pytest's pass hook, and unittest's `assertEqual`) for operands that also
   equal a new object of a private class, which no honest `__eq__` does;
5. writes the record (the token, the findings, the violations, and which tests it saw pass) with functions it
   took before the code was imported. autocoder accepts the run only with a record that holds the token and
   agrees with the JUnit report.

The code under test shares this interpreter, so this is tamper-evidence, not a wall: code that reads the token out
of memory could still forge the record. The static rules flag what that takes (frame and object introspection,
ctypes), and under `strict` such code never runs.
"""

import ast
import itertools
import json
import operator
import os
import sys
import types
import unittest

import pytest

_open, _write, _close, _dumps = os.open, os.write, os.close, json.dumps
_isinstance, _getattr, _id, _type = isinstance, getattr, id, type
_is, _repeat, _MISSING = operator.is_, itertools.repeat, object()

GUARDED_MODULES = (
    "_pytest.runner", "_pytest.python", "_pytest.reports", "_pytest.main", "_pytest.junitxml",
    "_pytest.outcomes", "_pytest.skipping", "_pytest.unittest", "_pytest.nodes", "_pytest.python_api",
    "_pytest.raises", "_pytest.assertion", "_pytest.assertion.rewrite", "_pytest.assertion.util",
    "pluggy", "pluggy._callers", "pluggy._hooks", "pluggy._manager", "pytest",
    "unittest", "unittest.case", "unittest.suite", "unittest.result", "builtins", "sys", "os", "json",
)
# Names pytest itself sets and restores around each test.
VOLATILE = {"_pytest.assertion.util": {"_reprcompare", "_assertion_pass", "_config"}, "builtins": {"_"}}
# What runs and reports each test: checked before every test (everything is checked at the end).
MACHINERY = (
    "_pytest.runner", "_pytest.python.Function", "_pytest.reports.TestReport", "_pytest.runner.CallInfo",
    "_pytest.unittest.TestCaseFunction", "unittest.case.TestCase", "pluggy._callers", "pluggy._hooks.HookCaller",
    "_pytest.assertion.rewrite", "_pytest.junitxml._NodeReporter", "_pytest.outcomes",
)
# In these modules, only these names are guarded; the rest is the process's own state.
ONLY = {
    "sys": {"exit", "modules", "settrace", "setprofile", "gettrace", "getprofile", "exc_info", "_getframe",
            "addaudithook", "argv"},
    "os": {"_exit", "open", "write", "close", "kill", "getpid", "fspath", "stat", "path"},
    "json": {"dumps", "loads", "dump", "load"},
}
MACHINERY_CLASSES = (
    ("_pytest.python", "Function"), ("_pytest.python", "Module"), ("_pytest.unittest", "TestCaseFunction"),
    ("_pytest.reports", "TestReport"), ("_pytest.reports", "BaseReport"), ("_pytest.runner", "CallInfo"),
    ("_pytest.junitxml", "LogXML"), ("_pytest.junitxml", "_NodeReporter"), ("_pytest.main", "Session"),
    ("_pytest.nodes", "Item"), ("_pytest.nodes", "Node"), ("pluggy._hooks", "HookCaller"),
    ("pluggy._manager", "PluginManager"), ("unittest.case", "TestCase"), ("unittest.case", "_Outcome"),
    ("unittest.result", "TestResult"), ("_pytest.outcomes", "OutcomeException"),
)

# ---------------------------------------------------------------------------------------------------------------
# SCAN RULES: each finding is (rule, file, line, excerpt). They name what honest solutions do not need.

MACHINERY_MODULES = ("_pytest", "pytest", "pluggy", "unittest", "doctest", "conftest")
INTROSPECTION_CALLS = {
    ("sys", "_getframe"), ("sys", "settrace"), ("sys", "setprofile"), ("sys", "addaudithook"),
    ("sys", "_current_frames"), ("threading", "settrace"), ("threading", "setprofile"),
    ("inspect", "currentframe"), ("inspect", "stack"), ("inspect", "getouterframes"), ("inspect", "trace"),
    ("gc", "get_objects"), ("gc", "get_referrers"), ("gc", "get_referents"),
}
FRAME_ATTRIBUTES = {"f_back", "f_locals", "f_globals", "f_builtins", "tb_frame", "gi_frame", "cr_frame"}
EXIT_CALLS = {("os", "_exit"), ("os", "kill"), ("os", "killpg"), ("os", "abort"), ("signal", "signal"),
              ("signal", "alarm"), ("signal", "setitimer"), ("signal", "pthread_kill"), ("atexit", "register")}
PATCHED_NAMESPACES = {"builtins", "__builtins__", "sys", "os", "unittest", "pytest", "_pytest", "pluggy"}


def _dotted(node):
    parts = []
    while _isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if _isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _machinery(module):
    root = module.split(".")[0]
    return root in MACHINERY_MODULES and not (module == "unittest.mock" or module.startswith("unittest.mock."))


def _uses(node, name):
    return any(_isinstance(child, ast.Name) and child.id == name for child in ast.walk(node))


def scan_source(source, path, test_names):
    """The findings in one file's source: a list of (rule, line, message)."""
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError:
        return []
    found = []
    aliases = {}

    def add(rule, node, message):
        found.append((rule, getattr(node, "lineno", 1), message))

    nodes = list(ast.walk(tree))
    for node in nodes:
        if _isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
                if _machinery(alias.name):
                    add("test-machinery-import", node, "imports the test machinery (%s)" % alias.name)
                elif alias.name.split(".")[0] == "ctypes":
                    add("introspection", node, "imports ctypes, which can rewrite the interpreter's memory")
        elif _isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                aliases[alias.asname or alias.name] = node.module + "." + alias.name
            if _machinery(node.module) and not (
                    node.module == "unittest" and all(a.name == "mock" for a in node.names)):
                add("test-machinery-import", node, "imports the test machinery (%s)" % node.module)
            elif node.module.split(".")[0] == "ctypes":
                add("introspection", node, "imports ctypes, which can rewrite the interpreter's memory")

    def resolved(expr):
        name = _dotted(expr)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        if head in aliases:
            name = aliases[head] + ("." + rest if rest else "")
        return name

    for node in nodes:
        if _isinstance(node, ast.Call):
            name = resolved(node.func) or ""
            pair = tuple(name.rsplit(".", 1)) if "." in name else ("", name)
            if pair in INTROSPECTION_CALLS:
                add("introspection", node, "calls %s, which reaches the test machinery's frames or objects" % name)
            elif pair in EXIT_CALLS:
                add("process-control", node, "calls %s, which can end or interrupt the test process" % name)
            elif name in ("setattr", "delattr") and node.args:
                target = resolved(node.args[0]) or ""
                if target.split(".")[0] in PATCHED_NAMESPACES:
                    add("patching", node, "%s on %s" % (name, target))
            elif pair[1] in ("update", "setdefault", "pop", "__setitem__") and pair[0] in ("sys.modules",):
                add("patching", node, "changes sys.modules")
            for argument in node.args:
                if _isinstance(argument, ast.Constant) and _isinstance(argument.value, str):
                    if _names_test_file(argument.value, test_names):
                        add("reads-tests", node, "names the test file %r" % argument.value)
        elif _isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
            targets = node.targets if _isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                base = target.value if _isinstance(target, (ast.Attribute, ast.Subscript)) else None
                name = resolved(base) if base is not None else None
                if name is None:
                    continue
                if name.split(".")[0] in PATCHED_NAMESPACES:
                    add("patching", node, "assigns to %s" % (resolved(target) or name))
                elif _isinstance(target, ast.Attribute) and target.attr == "__code__":
                    add("patching", node, "replaces a function's code")
        elif _isinstance(node, ast.Attribute) and node.attr in FRAME_ATTRIBUTES:
            add("introspection", node, "reads .%s, a frame of the test machinery" % node.attr)
        elif _isinstance(node, ast.Attribute) and node.attr == "argv" and resolved(node.value) == "sys":
            add("reads-tests", node, "reads sys.argv, the test command line")
        elif _isinstance(node, ast.Constant) and _isinstance(node.value, str) and _names_test_file(node.value, test_names):
            if not any(f[0] == "reads-tests" and f[1] == node.lineno for f in found):
                add("reads-tests", node, "names the test file %r" % node.value)
        elif _isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in ("__eq__", "__ne__"):
            arguments = node.args.args
            other = arguments[1].arg if len(arguments) >= 2 else None
            if other is None or not _uses(ast.Module(body=node.body, type_ignores=[]), other):
                add("forged-equality", node, "%s ignores the object it compares with" % node.name)
    return found


def _names_test_file(text, test_names):
    text = text.strip()
    if not text or len(text) > 300:
        return False
    base = text.replace("\\", "/").split("/")[-1]
    if base in test_names:
        return True
    return base.startswith("test_") and (base.endswith(".py") or "*" in base) or base in ("conftest.py", "junit.xml")


def scan(directory, tests):
    """Every finding in the non-test Python files under `directory`, as dictionaries."""
    test_paths = {os.path.normpath(path) for path in tests}
    test_names = {os.path.basename(path) for path in tests}
    findings = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = os.path.relpath(os.path.join(root, name), directory)
            if os.path.normpath(path) in test_paths:
                continue
            try:
                with open(os.path.join(root, name), "rb") as handle:
                    source = handle.read().decode("utf-8", "replace")
            except OSError:
                continue
            lines = source.splitlines()
            for rule, line, message in scan_source(source, path, test_names):
                excerpt = lines[line - 1].strip()[:200] if 0 < line <= len(lines) else ""
                findings.append({"rule": rule, "file": path, "line": line, "excerpt": excerpt,
                                 "message": message, "proven": False})
    return findings


# ---------------------------------------------------------------------------------------------------------------
# The runtime check.

SKIPS = (pytest.skip.Exception, pytest.xfail.Exception, unittest.SkipTest)


class _Fresh:
    """A class no code under test has seen: an honest `__eq__` never says one of these equals its object."""
    __slots__ = ()


def _forged_equal(value):
    try:
        return bool(value == _Fresh())
    except Exception:
        return False


def _origin(function):
    code = _getattr(function, "__code__", None) or _getattr(_getattr(function, "__func__", None), "__code__", None)
    if code is None:
        return None, None
    return code.co_filename, code.co_firstlineno


class Baseline:
    """The guarded namespaces and what they held before any code under test was imported. The warm worker makes
    one when it starts, and every test process it forks checks against it."""

    def __init__(self, extra=()):
        _guard_unittest()
        _guard_passing_comparisons()
        self.guarded, self.snapshot, self.names, self.values = {}, {}, {}, {}
        self.extend(GUARDED_MODULES + tuple(extra))
        for module, name in MACHINERY_CLASSES:
            cls = _getattr(sys.modules.get(module), name, None)
            if cls is not None:
                self._keep(module + "." + name, cls.__dict__)

    def extend(self, modules):
        import importlib

        for name in modules:
            if name in self.guarded:
                continue
            try:
                module = importlib.import_module(name)
            except Exception:
                continue
            self._keep(name, module.__dict__)

    def _keep(self, key, namespace):
        kept = {name: value for name, value in namespace.items()
                if name in ONLY.get(key, namespace) and name not in VOLATILE.get(key, ())
                and _guarded_value(key, value)}
        self.guarded[key] = namespace
        self.snapshot[key] = kept
        self.names[key] = tuple(kept)
        self.values[key] = tuple(kept.values())

    def unchanged(self, keys=None):
        """Whether every guarded name (of the namespaces `keys`, default all) still holds its object. A loop in C;
        what costs is touching each object after the fork (copy-on-write), so the checks before each test look at
        the test machinery (`MACHINERY`) and the one at the end at everything."""
        for key in self.guarded if keys is None else keys:
            namespace = self.guarded.get(key)
            if namespace is None:
                continue
            if not all(map(_is, map(namespace.get, self.names[key], _repeat(_MISSING)), self.values[key])):
                return False
        return True


# Namespaces whose other modules' names count too: the tests reach them through these.
REEXPORTS = {"builtins", "sys", "os", "json", "pytest", "unittest", "pluggy"}
CALLABLES = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, type, classmethod, staticmethod,
             property)


def _guarded_value(key, value):
    """Functions and classes: the code the verdict runs through. Constants, modules and type hints are left out
    (fewer objects touched after each fork), and in a module only what it defines itself."""
    if not _isinstance(value, CALLABLES):
        return False
    if key not in sys.modules or key in REEXPORTS:
        return True
    function = _getattr(value, "__func__", None) or _getattr(value, "fget", None) or value
    return _getattr(function, "__module__", None) == key


def _guard_passing_comparisons():
    """Has pytest's rewritten asserts (with the pass hook on) hand the operands of each passing `==` to the check.

    The pass hook's branch of each rewritten assert would format an explanation for the hook; after the rewrite,
    each formatting there becomes `_call_reprcompare(...)` alone (its operands are what the check needs) and the
    hook call goes, and the tokenizing of the test source that finds each assert's text is skipped."""
    from collections import defaultdict

    from _pytest.assertion import rewrite

    if _getattr(rewrite.__dict__["_call_reprcompare"], "_autocoder_guarded", False):
        return
    call_reprcompare, rewrite_asserts = rewrite._call_reprcompare, rewrite.rewrite_asserts

    def _call_reprcompare(ops, results, expls, each_obj):
        try:
            passing = all(results)
        except Exception:
            passing = False
        if not passing:
            return call_reprcompare(ops, results, expls, each_obj)
        plugin = IntegrityPlugin.current
        if plugin is not None:
            for index, op in enumerate(ops):
                if op == "==":
                    plugin._check_equal(each_obj[index], each_obj[index + 1])
        return ""

    def _get_assertion_exprs(source):
        return defaultdict(str)

    def rewrite_asserts_lean(mod, source, module_path=None, config=None):
        rewrite_asserts(mod, source, module_path, config)
        for node in ast.walk(mod):
            if _isinstance(node, ast.If) and _is_pass_hook_test(node.test):
                node.body = _lean(node.body) or [ast.copy_location(ast.Pass(), node)]

    for function in (_call_reprcompare, _get_assertion_exprs, rewrite_asserts_lean):
        function._autocoder_guarded = True
    rewrite._call_reprcompare, rewrite._get_assertion_exprs = _call_reprcompare, _get_assertion_exprs
    rewrite.rewrite_asserts = rewrite_asserts_lean


def _is_pass_hook_test(test):
    return (_isinstance(test, ast.Call) and _isinstance(test.func, ast.Attribute)
            and test.func.attr == "_check_if_assertion_pass_impl")


def _is_reprcompare(node):
    return (_isinstance(node, ast.Call) and _isinstance(node.func, ast.Attribute)
            and node.func.attr == "_call_reprcompare")


def _lean(statements):
    """The pass branch without its formatting: each assignment of a formatted explanation becomes the
    `_call_reprcompare` calls in it and an empty string; the hook call goes; nested branches are kept."""
    if not statements:
        return []
    kept = []
    for statement in statements:
        if _isinstance(statement, ast.Assign):
            for call in [node for node in ast.walk(statement.value) if _is_reprcompare(node)]:
                kept.append(ast.copy_location(ast.Expr(call), statement))
            empty = ast.copy_location(ast.Constant(""), statement)
            kept.append(ast.copy_location(ast.Assign(targets=statement.targets, value=empty), statement))
        elif _isinstance(statement, ast.If):
            # A new node: pytest shares these statements with the failing branch, which must stay as it is.
            body = _lean(statement.body) or [ast.copy_location(ast.Pass(), statement)]
            lean = ast.If(test=statement.test, body=body, orelse=_lean(statement.orelse))
            kept.append(ast.copy_location(lean, statement))
        elif _isinstance(statement, ast.Expr) and _isinstance(statement.value, ast.Call) and _isinstance(
                statement.value.func, ast.Attribute) and statement.value.func.attr == "_call_assertion_pass":
            continue
        else:
            kept.append(statement)
    return kept


def _guard_unittest():
    """Makes unittest's `assertEqual` (through `_baseAssertEqual`) check its operands like pytest's `==`."""
    case = unittest.case.TestCase
    original = case.__dict__["_baseAssertEqual"]
    if _getattr(original, "_autocoder_guarded", False):
        return

    def _baseAssertEqual(self, first, second, msg=None):
        original(self, first, second, msg)
        plugin = IntegrityPlugin.current
        if plugin is not None:
            plugin._check_equal(first, second)

    _baseAssertEqual._autocoder_guarded = True
    case._baseAssertEqual = _baseAssertEqual


class IntegrityPlugin:
    """Dormant until `activate`: the warm worker registers one with its prebuilt pytest config before it forks,
    so that a run pays neither for registering it nor for pluggy's rebuilding of the hook callers."""

    current = None

    def __init__(self, baseline):
        self.baseline = baseline
        self.guarded, self.snapshot = baseline.guarded, baseline.snapshot

    def activate(self, control, directory):
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
        modules = control.get("modules")
        self.baseline.extend(_standard_imports(self.tests) if modules is None else modules)
        IntegrityPlugin.current = self

    @property
    def active(self):
        return IntegrityPlugin.current is self

    def _check_equal(self, left, right):
        for value in (left, right):
            if _forged_equal(value):
                self._violate("forged-equality", "an object of type %s says it equals anything"
                              % _type(value).__name__, _getattr(_type(value), "__eq__", None))
                return

    def _violate(self, rule, message, culprit=None, nodeid=None):
        file, line = _origin(culprit) if culprit is not None else (None, None)
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
        for key, namespace in self.guarded.items():
            before = self.snapshot[key]
            for name, value in before.items():
                current = namespace.get(name, before)
                if current is not value and (key, name) not in self.reported:
                    self.reported.add((key, name))
                    culprit = current if current is not before else None
                    self._violate("patched-test-machinery", "%s.%s was %s %s" % (
                        key, name, "removed" if current is before else "replaced", when), culprit, nodeid)

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
        self.verify("while the tests were collected" if first else "before " + item.nodeid, item.nodeid, MACHINERY)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        if not self.active:
            return (yield)
        self.seen.add(item.nodeid)
        try:
            return (yield)
        except BaseException as error:
            self.raised[item.nodeid] = error
            raise

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
                self._violate("skip-from-solution", "the code under test skipped %s" % report.nodeid, None,
                              report.nodeid)
                self.violations[-1]["file"] = os.path.relpath(origin[0], self.directory)
                self.violations[-1]["line"] = origin[1]

    def pytest_assertion_pass(self, item, lineno, orig, expl):
        return None

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
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
                  "violations": self.violations, "passed": passed}
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


def _standard_imports(tests):
    """The standard modules the test files import (read with `ast`; they are not run here)."""
    names = set()
    for path in tests:
        try:
            with open(path, "rb") as handle:
                tree = ast.parse(handle.read())
        except (OSError, SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if _isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif _isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
    return sorted(name for name in names if name.split(".")[0] in sys.stdlib_module_names)


def prepare(control_path, directory):
    """Reads and deletes the control file and scans the code: the control, with its findings."""
    with open(control_path, "r", encoding="utf-8") as handle:
        control = json.load(handle)
    os.unlink(control_path)
    control["findings"] = scan(directory, control["tests"])
    return control


def start(control, directory, baseline=None, plugin=None):
    """Activates `plugin` (or a new one) for this run, or returns `None` when the strict scan refused the run (its
    record is then written)."""
    plugin = plugin or IntegrityPlugin(baseline or Baseline())
    plugin.activate(control, directory)
    if control["mode"] == "strict" and plugin.findings:
        plugin.write("refused")
        return None
    return plugin


def main(argv):
    control, arguments = argv[0], argv[1:]
    plugin = start(prepare(control, os.getcwd()), os.getcwd())
    if plugin is None:
        return 0
    return int(pytest.main(arguments, plugins=[plugin]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
