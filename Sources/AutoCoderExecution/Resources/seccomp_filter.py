"""Installs autocoder's seccomp filter on the test process: the system calls that code under test has no use for,
and that could reach past the sandbox, fail with EPERM. The filter is defined once, in the host
(SystemCallFilter.swift), which writes its bytes to a file; this module installs those bytes, as bubblewrap does for
every other run. Installed by the test process itself, after its sandbox is set up and before any code under test is
imported; a filter cannot be removed, and it holds for every process the code starts.

x86_64 only: elsewhere `install` returns False and the run goes on without it (`autocoder doctor` says so)."""

import ctypes
import os
import platform

PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
INSTRUCTION = 8  # bytes of one `struct sock_filter`


class _Prepared:
    libc = None
    buffer = None
    count = 0


def prepare(path=None):
    """Reads the filter's bytes from `path` and loads libc once (the warm worker does it before it forks); False
    where it does not apply or no filter was given."""
    if platform.machine() != "x86_64":
        return False
    if _Prepared.libc is None:
        if path is None:
            return False
        with open(path, "rb") as handle:
            blob = handle.read()
        if not blob or len(blob) % INSTRUCTION:
            raise ValueError("the seccomp filter at %s is not a whole program" % path)
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
        _Prepared.buffer = ctypes.create_string_buffer(blob, len(blob))
        _Prepared.count = len(blob) // INSTRUCTION
        _Prepared.libc = libc
    return True


def install(path=None):
    """Installs the filter (read from `path`, unless prepared already) on this process and so on everything it
    starts; False where it does not apply."""
    if not prepare(path):
        return False
    libc = _Prepared.libc
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = Program(_Prepared.count, ctypes.cast(_Prepared.buffer, ctypes.c_void_p))
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.cast(ctypes.byref(prog), ctypes.c_void_p), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP)")
    return True


if __name__ == "__main__":
    # A self-check: `seccomp_filter.py FILTER` installs, then tries what the filter refuses.
    import sys
    print("installed", install(sys.argv[1]))
    libc = ctypes.CDLL(None, use_errno=True)
    print("ptrace", libc.ptrace(0, 0, None, None), os.strerror(ctypes.get_errno()))
    print("mount", libc.mount(b"none", b"/tmp", b"tmpfs", 0, None), os.strerror(ctypes.get_errno()))
    print("unshare", libc.unshare(0x10000000), os.strerror(ctypes.get_errno()))
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    import threading
    thread = threading.Thread(target=lambda: None)
    thread.start()
    thread.join()
    print("fork and threads work")
