"""The static half of autocoder's integrity check: rules that read the generated Python files with `ast` (never
running them) and name what honest solutions do not need. Used by `pytest_integrity.py`; the rules and their
examples are in docs/INTEGRITY.md."""

import ast
import os
import sys

_isinstance = isinstance

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


def standard_imports(tests):
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
