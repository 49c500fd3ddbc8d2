"""What autocoder's integrity check keeps and guards in the test process: the baseline of the names the verdict runs
through, and the hooks that hand each passing `==` (pytest's rewritten asserts, unittest's `assertEqual`) to the
active check. Used by `pytest_integrity.py`."""

import ast
import itertools
import operator
import sys
import types
import unittest

_isinstance, _getattr = isinstance, getattr
_is, _repeat, _MISSING = operator.is_, itertools.repeat, object()


class Active:
    """The check of the run in progress, if any (the warm worker's plugin stays registered between runs)."""
    plugin = None


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
    ("_pytest.assertion.rewrite", "AssertionRewriter"),
)


class Baseline:
    """The guarded namespaces and what they held before any code under test was imported. The warm worker makes
    one when it starts, and every test process it forks checks against it."""

    def __init__(self):
        _guard_unittest()
        _guard_passing_comparisons()
        # Per namespace: the namespace itself, and its guarded names with the objects they held, as two tuples.
        self.guarded, self.names, self.values = {}, {}, {}
        self.extend(GUARDED_MODULES)
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

    def changes(self):
        """Each guarded name that no longer holds its object: (namespace, name, what it holds now or None)."""
        for key, namespace in self.guarded.items():
            for name, value in zip(self.names[key], self.values[key]):
                current = namespace.get(name, _MISSING)
                if current is not value:
                    yield key, name, None if current is _MISSING else current


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
    call_reprcompare, visit_assert = rewrite._call_reprcompare, rewrite.AssertionRewriter.visit_Assert

    def _call_reprcompare(ops, results, expls, each_obj):
        try:
            passing = all(results)
        except Exception:
            passing = False
        if not passing:
            return call_reprcompare(ops, results, expls, each_obj)
        plugin = Active.plugin
        if plugin is not None:
            for index, op in enumerate(ops):
                if op == "==":
                    plugin._check_equal(each_obj[index], each_obj[index + 1])
                    plugin._check_builtin_equal(each_obj[index], each_obj[index + 1])
        return ""

    def _get_assertion_exprs(source):
        return defaultdict(str)

    def visit_Assert(self, assert_):
        statements = visit_assert(self, assert_)
        if self.enable_assertion_pass_hook:
            # The assert's last statement is `if not OK: <fail> else: if <hook wanted>: <pass branch>`.
            for statement in statements:
                passing = statement.orelse[0] if _isinstance(statement, ast.If) and statement.orelse else None
                if _isinstance(passing, ast.If) and _is_pass_hook_test(passing.test):
                    passing.body = _lean(passing.body) or [ast.copy_location(ast.Pass(), passing)]
        return statements

    for function in (_call_reprcompare, _get_assertion_exprs, visit_Assert):
        function._autocoder_guarded = True
    rewrite._call_reprcompare, rewrite._get_assertion_exprs = _call_reprcompare, _get_assertion_exprs
    rewrite.AssertionRewriter.visit_Assert = visit_Assert


def _is_pass_hook_test(test):
    return (_isinstance(test, ast.Call) and _isinstance(test.func, ast.Attribute)
            and test.func.attr == "_check_if_assertion_pass_impl")


def _is_reprcompare(node):
    return (_isinstance(node, ast.Call) and _isinstance(node.func, ast.Attribute)
            and node.func.attr == "_call_reprcompare")


def _reprcompare_calls(value):
    """The `_call_reprcompare(...)` calls of a formatted explanation, `CALL % {...}` (or inside its dictionary)."""
    if not (_isinstance(value, ast.BinOp) and _isinstance(value.op, ast.Mod)):
        return []
    parts = [value.left] + (value.right.values if _isinstance(value.right, ast.Dict) else [])
    return [part for part in parts if _is_reprcompare(part)]


def _lean(statements):
    """The pass branch without its formatting: each assignment of a formatted explanation becomes the
    `_call_reprcompare` calls in it and an empty string; the hook call goes; nested branches are kept."""
    if not statements:
        return []
    kept = []
    for statement in statements:
        if _isinstance(statement, ast.Assign):
            for call in _reprcompare_calls(statement.value):
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
    """Makes unittest's comparing assertions check their operands like pytest's `==`: `assertEqual` (through
    `_baseAssertEqual`), the sequence, list, tuple, dict, set and count forms, `assertIn`, and `assertAlmostEqual`
    (whose `first - second` is checked as well)."""
    case = unittest.case.TestCase
    original = case.__dict__["_baseAssertEqual"]
    if _getattr(original, "_autocoder_guarded", False):
        return

    def guarded(name, check):
        method = case.__dict__[name]

        def wrapper(self, first, second, *args, **kwargs):
            result = method(self, first, second, *args, **kwargs)
            plugin = Active.plugin
            if plugin is not None:
                check(plugin, first, second)
            return result

        wrapper._autocoder_guarded = True
        wrapper.__name__ = wrapper.__qualname__ = name
        setattr(case, name, wrapper)

    def equal(plugin, first, second):
        plugin._check_equal(first, second)

    def exactly_equal(plugin, first, second):
        plugin._check_equal(first, second)
        plugin._check_builtin_equal(first, second)

    def almost(plugin, first, second):
        plugin._check_equal(first, second)
        plugin._check_difference(first, second)

    for name in ("_baseAssertEqual", "assertListEqual", "assertTupleEqual", "assertDictEqual", "assertSetEqual"):
        guarded(name, exactly_equal)
    for name in ("assertSequenceEqual", "assertCountEqual", "assertIn"):
        guarded(name, equal)
    guarded("assertAlmostEqual", almost)
