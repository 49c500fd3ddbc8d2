"""autocoder's warm pytest worker.

Started once as `python -I -B pytest_worker.py [-p no:NAME]...` (the `-p no:` options every run will pass). It imports pytest and warms it on a run of its own, then reads
one JSON request per line on standard input. For each request it forks a runner (A) that leaves the worker's
session, joins the run's cgroups and, when asked to isolate, enters new mount, network, IPC, UTS and PID
namespaces with a read-only filesystem, a private /tmp and /dev/shm, and only the run's directories writable.
A forks the test process (B): the first process of the new PID namespace, with its own /proc, rlimits, an
allowlisted environment, no capabilities and no new privileges, its output in files. B runs pytest.main in the
state the worker had after warming (so pytest is already imported) and exits as `python -m pytest` would. A
enforces the timeout and the output limit, and reports. The worker itself never imports or runs code of a task.

`pytest_worker.py --inventory FILE...` only prints the test files' inventory (see `inventory`) and exits.

Protocol, one JSON object per line: the worker says {"ready": true} (or {"ready": false, "error": ...}), then
for each request {"started": PID_OF_A} and {"result": {...}}. The worker exits when its standard input closes.
"""
import os

# Descriptors the host left open without close-on-exec would stay open as long as the worker lives, and a reader
# waiting for their end would wait for nothing: close them before anything else.
os.closerange(3, 65536)

import ast  # noqa: E402
import ctypes
import gc
import json
import resource
import select
import signal
import sys
import tempfile
import time

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_NOATIME, MS_NODIRATIME, MS_BIND = 32, 1024, 2048, 4096
MS_REC, MS_PRIVATE, MS_RELATIME, MS_STRICTATIME = 16384, 1 << 18, 1 << 21, 1 << 24
PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 24, 38

libc = ctypes.CDLL(None, use_errno=True)
protocol = None


def check(result, what):
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, "%s: %s" % (what, os.strerror(error)))


def mount(source, target, kind, flags, data=None):
    check(
        libc.mount(
            source.encode() if source else None, target.encode(), kind.encode() if kind else None,
            ctypes.c_ulong(flags), data.encode() if data else None),
        "mount %s" % target)


def mount_points():
    """The mount points of this mount namespace, with the flags a read-only remount must keep."""
    points = []
    with open("/proc/self/mountinfo") as handle:
        for line in handle:
            fields = line.split()
            options = fields[5].split(",")
            flags = 0
            for name, bit in (("nosuid", MS_NOSUID), ("nodev", MS_NODEV), ("noexec", MS_NOEXEC),
                              ("noatime", MS_NOATIME), ("nodiratime", MS_NODIRATIME),
                              ("relatime", MS_RELATIME), ("strictatime", MS_STRICTATIME)):
                if name in options:
                    flags |= bit
            points.append((fields[4].replace("\\040", " "), flags))
    return points


DEVICES = ("null", "zero", "full", "random", "urandom", "tty")


def loopback_up():
    """Brings up `lo` in the new network namespace, as bubblewrap does: code may still talk to itself."""
    import fcntl
    import socket
    import struct

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        flags = struct.unpack("16sH", fcntl.ioctl(sock, 0x8913, struct.pack("16sH", b"lo", 0)))[1]
        fcntl.ioctl(sock, 0x8914, struct.pack("16sH", b"lo", flags | 1))


def minimal_dev(devices):
    """A fresh /dev holding only the harmless devices (bound from the host's), the usual links, a private
    /dev/shm and a new devpts: no disks, no memory, no consoles."""
    mount("tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=1m")
    for name, handle in devices:
        path = "/dev/" + name
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o666))
        mount("/proc/self/fd/%d" % handle, path, None, MS_BIND)
        os.close(handle)
    for link, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                         ("stderr", "/proc/self/fd/2"), ("core", "/proc/kcore"), ("ptmx", "pts/ptmx")):
        os.symlink(target, "/dev/" + link)
    os.mkdir("/dev/shm")
    mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=64m,mode=1777")
    os.mkdir("/dev/pts")
    try:
        mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620")
    except OSError:
        pass


def isolate(writable):
    """Enters new namespaces, with everything read-only but a private /tmp, a minimal /dev and the `writable`
    paths, the way bubblewrap's `--ro-bind / / --dev /dev --tmpfs /tmp --bind W W` does."""
    check(libc.unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWPID), "unshare")
    check(libc.sethostname(b"sandbox", 7), "sethostname")
    loopback_up()
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    handles = [(path, os.open(path, os.O_PATH | os.O_DIRECTORY)) for path in writable]
    devices = [(name, os.open("/dev/" + name, os.O_PATH)) for name in DEVICES if os.path.exists("/dev/" + name)]
    for point, flags in mount_points():
        try:
            mount(None, point, None, MS_REMOUNT | MS_BIND | MS_RDONLY | flags)
        except OSError:
            if point == "/":
                raise
    mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=256m,mode=1777")
    minimal_dev(devices)
    for path, handle in handles:
        os.makedirs(path, exist_ok=True)
        mount("/proc/self/fd/%d" % handle, path, None, MS_BIND | MS_REC)
        os.close(handle)
        mount(None, path, None, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV)


def drop_capabilities():
    for capability in range(64):
        libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)
    check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    header = Header(0x20080522, 0)
    data = (Data * 2)()
    check(libc.capset(ctypes.byref(header), ctypes.byref(data)), "capset")


def set_limits(limits):
    for name, kind in (("cpu", resource.RLIMIT_CPU), ("fsize", resource.RLIMIT_FSIZE),
                       ("nofile", resource.RLIMIT_NOFILE), ("as", resource.RLIMIT_AS),
                       ("core", resource.RLIMIT_CORE)):
        value = limits.get(name)
        if value is not None:
            resource.setrlimit(kind, (value, value))


def test_process(request):
    """B: becomes what `python -I -B -m pytest ARGS` would be in the sandbox, runs pytest, and exits."""
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if request["isolate"]:
        mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    else:
        os.setpgid(0, 0)
    null = os.open(os.devnull, os.O_RDONLY)
    out = os.open(request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    err = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    for source, target in ((null, 0), (out, 1), (err, 2)):
        os.dup2(source, target)
    os.closerange(3, 65536)
    sys.stdin = open(0, "r", closefd=False)
    sys.stdout = open(1, "w", buffering=-1, closefd=False)
    sys.stderr = open(2, "w", buffering=1, closefd=False)
    sys.__stdout__, sys.__stderr__, sys.__stdin__ = sys.stdout, sys.stderr, sys.stdin
    os.chdir(request["workdir"])
    os.environ.clear()
    os.environ.update(request["env"])
    for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGALRM, signal.SIGCHLD):
        signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    set_limits(request["limits"])
    if request["isolate"]:
        drop_capabilities()
    code = 1
    try:
        import pytest

        use_prebuilt_config(request["args"])
        code = int(pytest.main(request["args"]))
    except SystemExit as exit:
        if exit.code is None:
            code = 0
        elif isinstance(exit.code, int):
            code = exit.code
        else:
            print(exit.code, file=sys.stderr)
            code = 1
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    try:
        import threading

        threading._shutdown()
        import atexit

        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:
                pass
        os._exit(code & 0xFF)


PREBUILT = {"config": None, "excluded": ()}


def excluded_plugins(args):
    """The `-p no:NAME` options of `args` (before `--`), which pytest applies while it builds its config."""
    names = []
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "-p" and index + 1 < len(args) and args[index + 1].startswith("no:"):
            names.append(args[index + 1])
        elif arg.startswith("-pno:"):
            names.append(arg[2:])
    return tuple(names)


def prebuild_config(args):
    """Builds in the worker what pytest builds first in every run: the plugin manager with its built-in plugins
    registered (about a third of a small run). It depends only on the `-p no:` options, which every run of
    autocoder shares; each forked run then uses its own copy of it."""
    import _pytest.config

    PREBUILT["config"] = _pytest.config.get_config(list(args))
    PREBUILT["excluded"] = excluded_plugins(args)


def use_prebuilt_config(args):
    """Lets this run's `pytest.main` take the prebuilt config when its `-p no:` options are the same; pytest then
    goes on as usual (parsing the arguments, configuring, collecting)."""
    import pathlib

    import _pytest.config

    config = PREBUILT["config"]
    if config is None or excluded_plugins(args) != PREBUILT["excluded"]:
        return
    original = _pytest.config.get_config

    def get_config(args=None, plugins=None):
        _pytest.config.get_config = original
        if plugins is not None:
            return original(args, plugins)
        config.invocation_params = _pytest.config.Config.InvocationParams(
            args=args or (), plugins=plugins, dir=pathlib.Path.cwd())
        return config

    _pytest.config.get_config = get_config


def runner(request, report):
    """A: sets up the run, starts B, enforces the limits, and writes the result to `report`."""
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    os.setsid()
    for directory in request["cgroups"]:
        with open(os.path.join(directory, "cgroup.procs"), "w") as handle:
            handle.write(str(os.getpid()))
    if request["isolate"]:
        isolate(request["writable"])
    started = time.monotonic()
    child = os.fork()
    if child == 0:
        try:
            test_process(request)
        finally:
            os._exit(127)
    deadline = started + request["timeout"]
    kill_limit = request["output_kill_limit"]
    timed_out = exceeded = False
    try:
        watch = os.pidfd_open(child)
    except (AttributeError, OSError):
        watch = None
    status = None
    while status is None:
        finished, status = os.waitpid(child, os.WNOHANG)
        if finished:
            break
        status = None
        now = time.monotonic()
        if now >= deadline:
            timed_out = True
        else:
            try:
                sizes = os.stat(request["stdout"]).st_size + os.stat(request["stderr"]).st_size
            except OSError:
                sizes = 0
            exceeded = sizes > kill_limit
        if timed_out or exceeded:
            os.kill(child, signal.SIGKILL)
            status = os.waitpid(child, 0)[1]
            break
        pause = min(deadline - now, 0.05)
        if watch is not None:
            select.select([watch], [], [], pause)
        else:
            time.sleep(min(pause, 0.002))
    if not request["isolate"]:
        try:
            os.killpg(child, signal.SIGKILL)
        except OSError:
            pass
    result = {"timed_out": timed_out, "output_exceeded": exceeded,
              "duration": time.monotonic() - started}
    if os.WIFSIGNALED(status):
        result["signal"] = os.WTERMSIG(status)
    else:
        result["status"] = os.WEXITSTATUS(status)
    os.write(report, json.dumps(result).encode())


def run(request):
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(reader)
        try:
            runner(request, writer)
        except BaseException as error:
            os.write(writer, json.dumps({"setup_error": "%s: %s" % (type(error).__name__, error)}).encode())
        finally:
            os._exit(0)
    os.close(writer)
    protocol.write(json.dumps({"started": pid}) + "\n")
    chunks = []
    while True:
        chunk = os.read(reader, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(reader)
    os.waitpid(pid, 0)
    try:
        return json.loads(b"".join(chunks) or b"null") or {"killed": True}
    except ValueError:
        return {"killed": True}


def inventory(files, directory):
    """The test functions and imports of the test files, read with `ast` (never run): module-level `test*`
    functions and `test*` methods of `Test*` classes, the way pytest collects them by default, and the top-level
    names of every import."""
    tests, imports = [], set()
    for path in files:
        with open(os.path.join(directory, path), encoding="utf-8") as handle:
            tree = ast.parse(handle.read(), path)
        module = path[:-3].replace("/", ".")
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
                tests.append({"suite": module, "name": node.name})
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("test"):
                        tests.append({"suite": module + "." + node.name, "name": item.name})
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imports.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imports.add(node.module.split(".")[0])
    return {"tests": tests, "imports": sorted(imports),
            "standardModules": sorted(getattr(sys, "stdlib_module_names", ()))}


def sweep_stale_warmups(base, max_age=3600):
    """Removes warm-up directories that a worker killed while warming (SIGKILL runs no cleanup) left behind."""
    now = time.time()
    try:
        names = [name for name in os.listdir(base) if name.startswith("autocoder-warm-")]
    except OSError:
        return
    for name in names:
        path = os.path.join(base, name)
        try:
            if now - os.stat(path).st_mtime < max_age:
                continue
            for entry in os.listdir(path):
                os.remove(os.path.join(path, entry))
            os.rmdir(path)
        except OSError:
            pass


def warm(prebuild):
    """Imports pytest and everything a run uses, by running pytest once on a test of the worker's own; then
    prebuilds the config for runs with the `-p no:` options of `prebuild`."""
    import pytest

    sweep_stale_warmups(tempfile.gettempdir())
    directory = tempfile.mkdtemp(prefix="autocoder-warm-")
    path = os.path.join(directory, "test_autocoder_warmup.py")
    with open(path, "w") as handle:
        handle.write("def test_warm():\n    assert 1 + 1 == 2\n")
    # pytest looks around its invocation directory: run it from the empty warm-up directory, not from wherever
    # the worker was started (a busy /tmp made the warm-up take seconds).
    previous = os.getcwd()
    os.chdir(directory)
    saved = os.dup(1), os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    before = set(sys.modules)
    try:
        pytest.main(["-q", "-p", "no:cacheprovider", "--noconftest", "-c", os.devnull, "--rootdir=" + directory,
                     "--junitxml=" + os.path.join(directory, "junit.xml"), "--", path])
    finally:
        os.chdir(previous)
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for handle in (null, *saved):
            os.close(handle)
        for name in set(sys.modules) - before:
            if name.startswith("test_autocoder_warmup"):
                del sys.modules[name]
        for name in os.listdir(directory):
            os.remove(os.path.join(directory, name))
        os.rmdir(directory)
        if directory in sys.path:
            sys.path.remove(directory)
    prebuild_config(prebuild)


def main():
    global protocol
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        warm(sys.argv[1:])
    except BaseException as error:
        protocol.write(json.dumps({"ready": False, "error": "%s: %s" % (type(error).__name__, error)}) + "\n")
        return
    # Everything the worker holds now lives as long as it does. Freezing it keeps each run's garbage collections
    # (pytest forces several at the end of a session) from walking the worker's whole heap in every child, and
    # keeps those pages shared after the fork.
    gc.collect()
    gc.freeze()
    protocol.write(json.dumps({"ready": True, "pid": os.getpid()}) + "\n")
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            if request.get("kind") == "inventory":
                reply = {"inventory": inventory(request["files"], request["workdir"])}
            else:
                reply = {"result": run(request)}
        except BaseException as error:
            reply = {"error": "%s: %s" % (type(error).__name__, error)}
        protocol.write(json.dumps(reply) + "\n")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--inventory"]:
        # The cold path's inventory: the same reading of the test files, in a short-lived interpreter.
        json.dump(inventory(sys.argv[2:], os.getcwd()), sys.stdout)
    else:
        main()
