"""autocoder's warm pytest worker.

Started once as `python -I -B pytest_worker.py [--isolate] [--cgroup DIR]... [-p no:NAME]...` (the `-p no:`
options every run will pass). It imports pytest and warms it on a run of its own, moves into its cgroups (so that
every run forked from it starts there, and the host sets the run's limits on them), then reads one JSON request per
line on standard input. The worker itself never imports or runs code of a task.

For each request it forks one test process, which becomes what `python -I -B -m pytest ARGS` would be: a new
session, its output in files, rlimits, an allowlisted environment, pytest.main in the state the worker had after
warming (so pytest is already imported), and an exit as `python -m pytest` would make. The worker enforces the
timeout and the output limit, makes sure nothing of the run is left, and reports.

A worker started with `--isolate` serves sandboxed runs. It first enters a PID namespace of its own, whose first
process (the keeper) does nothing but empty the namespace after each run. Each test process then enters new mount,
network, IPC and UTS namespaces, makes the request's filesystem view its root (the system directories, the
interpreter's and the run's, read-only but the run's; a private /tmp, /dev/shm and /proc), becomes the request's
unprivileged user when one is given, and drops every capability. Runs cannot see the worker or anything outside
the namespace, and the keeper, which they can see, ignores their signals.

`pytest_worker.py --inventory FILE...` only prints the test files' inventory (see `inventory`) and exits.

Protocol (PytestWorkerProtocol in the host), one JSON object per line with snake_case keys: the worker says
{"ready": true, "version": PROTOCOL_VERSION, "pid": ..., "keeper": ..., "standard_modules": [...],
"installed_modules": [...]} (or
{"ready": false, "version": ..., "error": ..., "sandbox": ...}); then for each request ({"kind": "run", ...} or
{"kind": "inventory", "files": [...], "workdir": ...}) it says {"started": PID} for a run, and then
{"result": {...}, "inventory": {...} or "inventory_error": ...}, or {"inventory": {...}}, or {"error": ...}. The
worker exits when its standard input closes, and then leaves and removes its cgroups.
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

PROTOCOL_VERSION = 3  # PytestWorkerProtocol.version in the host: raised whenever a message changes shape
CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_NOATIME, MS_NODIRATIME, MS_BIND = 32, 1024, 2048, 4096
MS_REC, MS_PRIVATE, MS_RELATIME, MS_STRICTATIME = 16384, 1 << 18, 1 << 21, 1 << 24
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 4, 24, 38

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


def minimal_dev(devices, base=""):
    """A fresh /dev holding only the harmless devices (bound from the host's), the usual links, a private
    /dev/shm and a new devpts: no disks, no memory, no consoles. Made under `base` (the new root before it becomes
    the root: the host's devices can be bound only from there)."""
    mount("tmpfs", base + "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=1m")
    for name, handle in devices:
        path = base + "/dev/" + name
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o666))
        mount("/proc/self/fd/%d" % handle, path, None, MS_BIND)
        os.close(handle)
    for link, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                         ("stderr", "/proc/self/fd/2"), ("core", "/proc/kcore"), ("ptmx", "pts/ptmx")):
        os.symlink(target, base + "/dev/" + link)
    os.mkdir(base + "/dev/shm")
    mount("tmpfs", base + "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=64m,mode=1777")
    os.mkdir(base + "/dev/pts")
    try:
        mount("devpts", base + "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620")
    except OSError:
        pass


def isolate(view):
    """Enters new mount, network, IPC and UTS namespaces (the PID namespace is the worker's, entered by the fork)
    and makes the filesystem `view` the new root, as bubblewrap does with the same list (FilesystemView in the
    host): the system directories and the given paths bound at their own paths, read-only but for the writable
    ones, a private /tmp, a minimal /dev and the run's own /proc; nothing else of the host."""
    check(libc.unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS), "unshare")
    check(libc.sethostname(b"sandbox", 7), "sethostname")
    loopback_up()
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    # Everything to bind is opened before anything is mounted over the paths that lead to it.
    handles = {entry[1]: os.open(entry[2] if entry[0] == "relocated" else entry[1], os.O_PATH)
               for entry in view if entry[0] in ("read_only", "writable", "relocated")}
    devices = [(name, os.open("/dev/" + name, os.O_PATH)) for name in DEVICES if os.path.exists("/dev/" + name)]
    root = "/tmp"  # the host's /tmp, covered here by the new root's own tmpfs
    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755,size=1m")
    writable, targets = [], []
    for entry in view:
        kind, path, target = entry[0], entry[1], root + entry[1]
        targets.append(target)
        if kind == "directory":
            os.mkdir(target, 0o755)
            os.chmod(target, 0o755)
        elif kind == "symlink":
            os.symlink(entry[2], target)
        elif kind in ("read_only", "writable", "relocated"):
            handle = handles.pop(path)
            if os.path.isdir("/proc/self/fd/%d" % handle):
                os.makedirs(target, exist_ok=True)
            else:
                os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o644))
            mount("/proc/self/fd/%d" % handle, target, None, MS_BIND | MS_REC)
            os.close(handle)
            if kind in ("writable", "relocated"):
                writable.append(target)
        elif kind == "hidden":
            mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV | MS_RDONLY, "mode=755,size=4k")
        elif kind == "temporary":
            os.makedirs(target, exist_ok=True)
            mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=%d" % entry[2])
            writable.append(target)
    # Read-only: every mount in the new root that is not writable (the binds and whatever lies under them). A
    # mount of the host's own /tmp, hidden under the new root, may refuse; one of the view's must not.
    made = set(targets)
    for point, flags in mount_points():
        if point == root or not point.startswith(root + "/"):
            continue
        keep = MS_NOSUID | MS_NODEV if any(point == path or point.startswith(path + "/") for path in writable) else 0
        try:
            mount(None, point, None, MS_REMOUNT | MS_BIND | (keep or MS_RDONLY) | flags)
        except OSError:
            if point in made:
                raise
    for name in ("dev", "proc"):
        os.makedirs(root + "/" + name, exist_ok=True)
    minimal_dev(devices, root)
    mount(None, root, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    os.chdir(root)
    check(libc.syscall(155, b".", b"."), "pivot_root")  # pivot_root(".", "."): the old root lies on top
    check(libc.umount2(b".", 2), "umount old root")  # MNT_DETACH
    os.chdir("/")
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)


def writable_paths(view):
    """The directories of `view` the code may write in: the writable and temporary ones, and /dev/shm."""
    return [entry[1] for entry in view if entry[0] in ("writable", "relocated", "temporary")] + ["/dev/shm"]


def become(user):
    """Becomes the unprivileged user [uid, gid] with no groups; giving up root clears every capability."""
    os.setgroups([])
    os.setresgid(user[1], user[1], user[1])
    os.setresuid(user[0], user[0], user[0])


def drop_capabilities(user=None):
    """Empties the bounding set (while the capability to do so is still held), becomes `user` when given, and
    then gives up every capability left and any way to gain one."""
    for capability in range(64):
        libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)
    if user:
        become(user)
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


def enter_sandbox(request):
    """The test process's first steps, which can fail: its own session and, when asked, the sandbox, whose last
    layer is the seccomp filter (after the namespaces and mounts, which it forbids)."""
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    os.setsid()
    if request["isolate"]:
        isolate(request["view"])
        INTEGRITY["seccomp"].install()


def settle(spec, out, err):
    """The first steps of a forked run process (the test process, or a bridged run's code process) in the sandbox
    it has entered: standard input from /dev/null and the output descriptors given, nothing else open but the
    bridge's end, the run's directory, environment, signals and limits, then Landlock and the user."""
    # The worker keeps itself out of the out-of-memory killer's reach; the code under test must not be. Written
    # while the process still has its capabilities, this also stops the code from lowering it again.
    try:
        with open("/proc/self/oom_score_adj", "w") as handle:
            handle.write("0")
    except OSError:
        pass
    null = os.open(os.devnull, os.O_RDONLY)
    for source, target in ((null, 0), (out, 1), (err, 2)):
        os.dup2(source, target)
    keep_bridge(spec)
    sys.stdin = open(0, "r", closefd=False)
    sys.stdout = open(1, "w", buffering=-1, closefd=False)
    sys.stderr = open(2, "w", buffering=1, closefd=False)
    sys.__stdout__, sys.__stderr__, sys.__stdin__ = sys.stdout, sys.stderr, sys.stdin
    os.chdir(spec["workdir"])
    os.environ.clear()
    os.environ.update(spec["env"])
    tempfile.tempdir = None  # the worker's own, cached when it warmed up, is not the run's TMPDIR
    for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGALRM, signal.SIGCHLD):
        signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    set_limits(spec["limits"])
    if spec["isolate"]:
        # After the last write outside the run's directories (oom_score_adj above).
        INTEGRITY["landlock"].restrict(writable_paths(spec["view"]))
        drop_capabilities(spec.get("user"))


def test_process(request):
    """Becomes what `python -I -B -m pytest ARGS` would be (in the sandbox it has entered), runs pytest, and
    exits."""
    out = os.open(request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    err = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    settle(request, out, err)
    code = 1
    try:
        import pytest

        plugins = []
        plugin = None
        if request.get("integrity"):
            plugin = INTEGRITY["module"].start(
                request["integrity"], request["workdir"], INTEGRITY["baseline"], INTEGRITY["plugin"],
                bridged=bool(request.get("bridge")))
            if plugin is None:
                os._exit(0)
            plugins.append(plugin)
        plain = None
        if request.get("bridge"):
            connect_bridge(request["bridge"], plugin, request["args"])
            plain = INTEGRITY["plain"].run(request["args"], plugin)
        if plain is not None:
            code = plain
        else:
            if use_prebuilt_config(request["args"]):
                plugins = []  # the prebuilt config has the (dormant until now) plugin registered already
            code = int(pytest.main(request["args"], plugins=plugins))
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


BRIDGE_FD = 3  # where both processes of a bridged run keep their end of the bridge


def keep_bridge(request):
    """Closes every descriptor above stderr but the bridge's end, which moves to BRIDGE_FD."""
    end = request.pop("_bridge_end", None)
    if end is not None:
        os.dup2(end, BRIDGE_FD)
        os.closerange(BRIDGE_FD + 1, 65536)
    else:
        os.closerange(3, 65536)


def connect_bridge(bridge, plugin, args):
    """The test process's side of a bridged run: the code's modules are imported through the bridge. The process
    is not dumpable, so that nothing of the same user can read or write its memory through /proc."""
    import socket

    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    forgery = None
    if plugin is not None:
        def forgery(message):
            plugin._violate("forged-equality", message)
        plugin.code_traceback = INTEGRITY["bridge"].code_traceback  # shown under a failure the code's error caused
    root = next((arg[len("--rootdir="):] for arg in args if arg.startswith("--rootdir=")), ".")
    tests = [os.path.join(root, path) for path in args[args.index("--") + 1:]] if "--" in args else []
    reserved = INTEGRITY["bridge"].bound_names(tests)
    INTEGRITY["bridge"].install(socket.socket(fileno=BRIDGE_FD), bridge["modules"], forgery, reserved, root)


def code_process(bridge, output):
    """The code process of a bridged run (in the sandbox it has entered): the code's directory and nothing of the
    tests, its output in its own file, the same limits and layers as a test process, then the bridge's server."""
    settle(bridge, output, output)
    import socket

    INTEGRITY["bridge"].serve_code(socket.socket(fileno=BRIDGE_FD), bridge["workdir"])


def start_code_process(request, setup):
    """Forks the code process of a bridged run (which reports a failure to set up its sandbox on `setup`); its end
    of the bridge is kept for the test process. Returns its pid."""
    import socket

    bridge = request["bridge"]
    test_end, code_end = socket.socketpair()
    output = os.open(bridge["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    pid = os.fork()
    if pid == 0:
        try:
            test_end.close()
            bridge["_bridge_end"] = code_end.fileno()
            bridge["isolate"] = True
            try:
                enter_sandbox(bridge)
            except BaseException as error:
                report_setup_error(setup, error)
            code_process(bridge, output)
        finally:
            os._exit(0)
    code_end.close()
    os.close(output)
    request["_bridge_end"] = test_end.detach()
    return pid


PREBUILT = {"config": None, "excluded": ()}
INTEGRITY = {"module": None, "baseline": None, "plugin": None, "seccomp": None, "landlock": None, "bridge": None,
             "plain": None}


def load_integrity():
    """Imports `pytest_integrity.py` and `seccomp_filter.py`, which lie beside this script, and takes the
    integrity baseline once: each test process starts its check from them."""
    import importlib.util

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pytest_integrity.py")
    spec = importlib.util.spec_from_file_location("pytest_integrity", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    INTEGRITY["module"] = module
    INTEGRITY["seccomp"] = module._load("seccomp_filter")
    INTEGRITY["seccomp"].prepare(OPTIONS["seccomp"])
    INTEGRITY["landlock"] = module._load("landlock_rules")
    INTEGRITY["bridge"] = module._load("verdict_bridge")
    INTEGRITY["plain"] = module._load("plain_runner")
    INTEGRITY["baseline"] = module.Baseline()
    INTEGRITY["plugin"] = module.IntegrityPlugin(INTEGRITY["baseline"])
    if PREBUILT["config"] is not None:
        PREBUILT["config"].pluginmanager.register(INTEGRITY["plugin"], "autocoder-integrity")


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
        return False
    original = _pytest.config.get_config

    # Keywords pytest adds later are taken and left unused (9.2 gives `prog`, for its usage line): a prebuilt
    # config that refused them broke every run under a newer pytest than the one measured here.
    def get_config(args=None, plugins=None, **_later):
        _pytest.config.get_config = original
        config.invocation_params = _pytest.config.Config.InvocationParams(
            args=args or (), plugins=plugins, dir=pathlib.Path.cwd())
        return config

    _pytest.config.get_config = get_config
    return True


def output_size(request):
    """What the run has printed so far: the test process's output, and the code process's in a bridged run."""
    paths = [request["stdout"], request["stderr"]] + ([request["bridge"]["output"]] if request.get("bridge") else [])
    total = 0
    for path in paths:
        try:
            total += os.stat(path).st_size
        except OSError:
            pass
    return total


def watch(pid, request, started):
    """Waits for the test process, killing it at the timeout or once its output passes the kill limit."""
    deadline = started + request["timeout"]
    kill_limit = request["output_kill_limit"]
    timed_out = exceeded = False
    try:
        watcher = os.pidfd_open(pid)
    except (AttributeError, OSError):
        watcher = None
    try:
        while True:
            finished, status = os.waitpid(pid, os.WNOHANG)
            if finished:
                break
            now = time.monotonic()
            if now >= deadline:
                timed_out = True
            else:
                exceeded = output_size(request) > kill_limit
            if timed_out or exceeded:
                os.kill(pid, signal.SIGKILL)
                status = os.waitpid(pid, 0)[1]
                break
            pause = min(deadline - now, 0.05)
            if watcher is not None:
                select.select([watcher], [], [], pause)
            else:
                time.sleep(min(pause, 0.002))
    finally:
        if watcher is not None:
            os.close(watcher)
    if not exceeded:
        # A process that printed past the limit and ended before the next look went past it all the same (a busy
        # machine can delay the look by more than the 50 ms between them).
        exceeded = output_size(request) > kill_limit
    result = {"timed_out": timed_out, "output_exceeded": exceeded, "duration": time.monotonic() - started}
    if os.WIFSIGNALED(status):
        result["signal"] = os.WTERMSIG(status)
    else:
        result["status"] = os.WEXITSTATUS(status)
    return result


def run(request):
    """Forks the test process, watches it, and leaves nothing of the run behind before it reports."""
    if bool(request["isolate"]) != (KEEPER["pid"] is not None):
        raise ValueError("this worker does not serve %s runs" % ("sandboxed" if request["isolate"] else "plain"))
    bridge = request.get("bridge")
    if bridge and not request["isolate"]:
        raise ValueError("a bridged run must be sandboxed")
    if request.get("integrity"):
        # Read, deleted and scanned here, before the fork: the code under test never sees the control file.
        request["integrity"] = INTEGRITY["module"].prepare(
            request["integrity"], request["workdir"], bridge["workdir"] if bridge else None)
        if "imports" in request and "modules" not in request["integrity"]:
            request["integrity"]["modules"] = [name for name in request["imports"] if name in sys.stdlib_module_names]
    reader, writer = os.pipe()
    started = time.monotonic()
    code_pid = start_code_process(request, writer) if bridge else None
    pid = os.fork()
    if pid == 0:
        os.close(reader)
        try:
            enter_sandbox(request)
        except BaseException as error:
            report_setup_error(writer, error)
        try:
            test_process(request)
        finally:
            os._exit(127)
    os.close(writer)
    if bridge:
        os.close(request.pop("_bridge_end"))
    protocol.write(json.dumps({"started": pid}) + "\n")
    try:
        result = watch(pid, request, started)
    finally:
        if code_pid is not None:
            # The worker's own child, reaped here: the keeper reaps only its own.
            os.kill(code_pid, signal.SIGKILL)
            os.waitpid(code_pid, 0)
        if KEEPER["pid"] is not None:
            empty_namespace()
        else:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
    setup = os.read(reader, 65536)
    os.close(reader)
    return json.loads(setup.split(b"\n")[0]) if setup else result


def report_setup_error(writer, error):
    """A forked process's sandbox could not be made: says so to the worker (one line) and exits."""
    try:
        os.write(writer, (json.dumps({"setup_error": "%s: %s" % (type(error).__name__, error)}) + "\n").encode())
    finally:
        os._exit(127)


KEEPER = {"pid": None, "commands": None, "answers": None}


def start_keeper():
    """Enters a PID namespace of the worker's own (for its children) and starts its first process, the keeper."""
    check(libc.unshare(CLONE_NEWPID), "unshare")
    commands, answers = os.pipe(), os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            keep(commands[0], answers[1])
        finally:
            os._exit(0)
    os.close(commands[0])
    os.close(answers[1])
    KEEPER.update(pid=pid, commands=commands[1], answers=answers[0])


def keep(commands, answers):
    """The keeper: the first process of the worker's PID namespace. Runs can see it but not harm it: it cannot be
    traced, and as the namespace's first process it gets no signal from inside that it does not handle, and it
    handles none. On each command it kills everything else in the namespace and reaps it; it dies with the worker,
    and the namespace with it."""
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    for number in signal.valid_signals():
        try:
            signal.signal(number, signal.SIG_DFL)
        except (OSError, ValueError):
            pass
    for handle in range(3, 1024):
        if handle not in (commands, answers):
            try:
                os.close(handle)
            except OSError:
                pass
    while os.read(commands, 1):
        while True:
            try:
                os.kill(-1, signal.SIGKILL)
            except ProcessLookupError:
                break
            try:
                while True:
                    os.waitpid(-1, 0)
            except ChildProcessError:
                pass
        os.write(answers, b"d")


def stop_keeper():
    """Ends the keeper (it exits when its commands pipe closes) and reaps it."""
    if KEEPER["pid"] is not None:
        os.close(KEEPER["commands"])
        os.waitpid(KEEPER["pid"], 0)
        KEEPER["pid"] = None


def empty_namespace():
    """Has the keeper kill and reap whatever the run left in the namespace, and waits until it has."""
    os.write(KEEPER["commands"], b"k")
    if os.read(KEEPER["answers"], 1) != b"d":
        raise OSError("the keeper of the worker's namespace is gone")


def inventory(files, directory):
    """The test functions and imports of the test files, read with `ast` (never run), by pytest's own default
    collection rules: module-level `test*` functions; `test*` methods of `Test*` classes that have no `__init__`
    (or `__new__`); `test*` methods of `unittest.TestCase` subclasses under any name; methods inherited from
    classes of the same file; no class that sets `__test__ = False`. Also the top-level names of every import."""
    tests, imports = [], set()
    for path in files:
        with open(os.path.join(directory, path), encoding="utf-8") as handle:
            try:
                tree = ast.parse(handle.read(), path)
            except SyntaxError as error:
                raise ValueError("%s, line %s: %s" % (path, error.lineno, error.msg)) from None
        module = path[:-3].replace("/", ".")
        classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
                tests.append({"suite": module, "name": node.name})
            elif isinstance(node, ast.ClassDef) and is_collected_class(node, classes):
                for name in test_methods(node, classes):
                    tests.append({"suite": module + "." + node.name, "name": name})
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imports.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imports.add(node.module.split(".")[0])
    return {"tests": tests, "imports": sorted(imports)}


def base_names(node):
    """The names of a class's bases as written: `TestCase` for both `TestCase` and `unittest.TestCase`."""
    names = []
    for base in node.bases:
        if isinstance(base, ast.Name):
            names.append(base.id)
        elif isinstance(base, ast.Attribute):
            names.append(base.attr)
    return names


def is_unittest_case(node, classes, seen=()):
    """Whether a class derives from unittest's TestCase (or IsolatedAsyncioTestCase), directly or through classes
    of the same file."""
    for name in base_names(node):
        if name.endswith("TestCase"):
            return True
        if name in classes and name not in seen and is_unittest_case(classes[name], classes, seen + (name,)):
            return True
    return False


def class_attribute(node, name):
    for item in node.body:
        if isinstance(item, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in item.targets):
            return item.value
    return None


def is_collected_class(node, classes):
    test_flag = class_attribute(node, "__test__")
    if isinstance(test_flag, ast.Constant) and not test_flag.value:
        return False
    if is_unittest_case(node, classes):
        return True
    if not node.name.startswith("Test"):
        return False
    return not any(name in ("__init__", "__new__") for name in method_names(node, classes))


def method_names(node, classes, seen=()):
    """The methods of a class, its own first, then those of its bases defined in the same file."""
    names = [item.name for item in node.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for base in base_names(node):
        if base in classes and base not in seen:
            names += [name for name in method_names(classes[base], classes, seen + (base,)) if name not in names]
    return names


def test_methods(node, classes):
    return [name for name in method_names(node, classes) if name.startswith("test")]


def standard_modules():
    """The standard library's module names, which generated files must not shadow."""
    return sorted(getattr(sys, "stdlib_module_names", ()))


def installed_modules():
    """The top-level modules this interpreter finds on its own path (site-packages and the like; not the run's
    directory): a generated file named like one of them that the tests import would stand in for it (a `numpy.py`
    whose `isclose` says yes)."""
    import site

    names = set()
    here = os.getcwd()
    # The cold inventory runs with -S, which leaves site-packages off sys.path; the test process has it.
    for entry in sys.path + site.getsitepackages():
        if not entry or entry == here or not os.path.isabs(entry):
            continue
        try:
            found = list(os.scandir(entry))
        except OSError:
            continue
        for item in found:
            name = item.name
            if name.endswith(".py"):
                names.add(name[:-3])
            elif name.endswith(".so"):
                names.add(name.split(".")[0])
            elif name.isidentifier():
                try:
                    if item.is_dir():
                        names.add(name)
                except OSError:
                    pass
    return sorted(names)


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
    # Named with the pid, so that autocoder can remove it if it has to kill the worker while it warms up.
    directory = tempfile.mkdtemp(prefix="autocoder-warm-%d-" % os.getpid())
    path = os.path.join(directory, "test_autocoder_warmup.py")
    with open(path, "w") as handle:
        handle.write("def test_warm():\n    assert 1 + 1 == 2\n")
    # pytest looks around its invocation directory: run it from the empty warm-up directory, not from wherever
    # the worker was started. It also collects every directory from its confcut directory down to the test, which
    # without --confcutdir starts at / and lists each entry of the temporary directory on the way (1.1 s of the
    # worker's start with 5,000 entries in /tmp, 0.25 s with the option).
    previous = os.getcwd()
    os.chdir(directory)
    saved = os.dup(1), os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    before = set(sys.modules)
    try:
        # With the pass hook on, as integrity-checked runs have it, so its source tokenizer is compiled here once.
        pytest.main(["-q", "-p", "no:cacheprovider", "--noconftest", "-c", os.devnull, "--rootdir=" + directory,
                     "--confcutdir=" + directory, "-o", "enable_assertion_pass_hook=true",
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


def join_cgroups(directories):
    """Moves the worker into its cgroups, once it is warm (what it loaded stays charged where it was started),
    and keeps it from the out-of-memory killer, which is for the code its runs start."""
    for directory in directories:
        with open(os.path.join(directory, "cgroup.procs"), "w") as handle:
            handle.write(str(os.getpid()))
    try:
        with open("/proc/self/oom_score_adj", "w") as handle:
            handle.write("-1000")
    except OSError:
        pass


def leave_cgroups(directories):
    """Moves the worker back to where it was started and removes its cgroups (which its runs have left)."""
    for directory in directories:
        try:
            with open(os.path.join(os.path.dirname(directory), "cgroup.procs"), "w") as handle:
                handle.write(str(os.getpid()))
            os.rmdir(directory)
        except OSError:
            pass


OPTIONS = {"seccomp": None}


def options(arguments):
    """The worker's own options (`--isolate`, `--cgroup DIR`, `--seccomp FILE`: the host's system-call filter), and
    the rest (the `-p no:` options)."""
    isolated, cgroups = False, []
    while arguments[:1] in (["--isolate"], ["--cgroup"], ["--seccomp"]):
        if arguments[0] == "--isolate":
            isolated, arguments = True, arguments[1:]
        elif arguments[0] == "--seccomp":
            OPTIONS["seccomp"] = arguments[1]
            arguments = arguments[2:]
        else:
            cgroups.append(arguments[1])
            arguments = arguments[2:]
    return isolated, cgroups, arguments


def main():
    global protocol
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    isolated, cgroups, prebuild = options(sys.argv[1:])
    try:
        warm(prebuild)
        load_integrity()
        join_cgroups(cgroups)
    except BaseException as error:
        reason = "%s: %s" % (type(error).__name__, error)
        protocol.write(json.dumps({"ready": False, "version": PROTOCOL_VERSION, "error": reason}) + "\n")
        leave_cgroups(cgroups)
        return
    if isolated:
        try:
            start_keeper()
        except BaseException as error:
            reason = "%s: %s" % (type(error).__name__, error)
            reply = {"ready": False, "version": PROTOCOL_VERSION, "error": reason, "sandbox": True}
            protocol.write(json.dumps(reply) + "\n")
            leave_cgroups(cgroups)
            return
    # Everything the worker holds now lives as long as it does. Freezing it keeps each run's garbage collections
    # (pytest forces several at the end of a session) from walking the worker's whole heap in every child, and
    # keeps those pages shared after the fork.
    gc.collect()
    gc.freeze()
    try:
        serve()
    finally:
        stop_keeper()
        leave_cgroups(cgroups)


def serve():
    hello = {"ready": True, "version": PROTOCOL_VERSION, "pid": os.getpid(), "keeper": KEEPER["pid"],
             "standard_modules": standard_modules(), "installed_modules": installed_modules()}
    protocol.write(json.dumps(hello) + "\n")
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            if request.get("kind") == "inventory":
                reply = {"inventory": inventory(request["files"], request["workdir"])}
            else:
                reply = {}
                if request.get("inventory"):
                    # Read before the fork, while the test files are as the host wrote them.
                    try:
                        reply["inventory"] = inventory(request["inventory"], request["workdir"])
                        request["imports"] = reply["inventory"]["imports"]
                    except BaseException as error:
                        reply["inventory_error"] = "%s: %s" % (type(error).__name__, error)
                reply["result"] = run(request)
        except BaseException as error:
            reply = {"error": "%s: %s" % (type(error).__name__, error)}
        protocol.write(json.dumps(reply) + "\n")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--inventory"]:
        # The cold path's inventory: the same reading of the test files, in a short-lived interpreter.
        json.dump(dict(inventory(sys.argv[2:], os.getcwd()), standard_modules=standard_modules(),
                       installed_modules=installed_modules()), sys.stdout)
    else:
        main()
