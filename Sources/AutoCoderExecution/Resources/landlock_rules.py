"""autocoder's Landlock rules for a sandboxed test process (Linux 5.13 and later; a no-op elsewhere).

`restrict(writable)` lets the process and everything it starts read and execute anything it can see, use the
harmless devices under /dev, and create, change or delete files only beneath the `writable` directories (the
run's own, its /tmp and /dev/shm). Where the kernel's Landlock is new enough (ABI 6), the process also cannot
signal processes outside its domain or reach abstract UNIX sockets outside it. It does not restrict TCP: the
network namespace already shows only loopback, which tests may use to talk to themselves.

This is a layer under the others: the filesystem view already mounts everything else read-only. Where there is
no view (only `unshare` is available), it is what keeps writes inside the run's directories.

The warm pytest worker calls `restrict` in each run's process. Every other sandboxed run starts through this file
as its launcher (`python3 -I -S -c SOURCE DIR:DIR... PROGRAM ARGS...`, see `main`), inside the view and after the
user change, so the rules hold for the program and everything it starts.
"""
import ctypes
import errno
import os
import sys

CREATE_RULESET, ADD_RULE, RESTRICT_SELF = 444, 445, 446  # x86_64 and the other architectures alike
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
TRUNCATE, IOCTL_DEV = 1 << 14, 1 << 15
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long


class RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def abi():
    """The kernel's Landlock ABI version, or 0 when it has none (or it is turned off)."""
    version = libc.syscall(CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(CREATE_RULESET_VERSION))
    return version if version > 0 else 0


def handled(version):
    """Every filesystem right this ABI knows: bits 0-12 from ABI 1, REFER (13) from 2, TRUNCATE from 3,
    IOCTL_DEV from 5."""
    bits = (1 << 13) - 1
    for since, bit in ((2, 1 << 13), (3, TRUNCATE), (5, IOCTL_DEV)):
        if version >= since:
            bits |= bit
    return bits


def _check(result, what):
    if result < 0:
        error = ctypes.get_errno()
        raise OSError(error, "landlock %s: %s" % (what, os.strerror(error)))
    return result


def restrict(writable):
    """Restricts this process as described above; returns the ABI version used, 0 when the kernel has none."""
    version = abi()
    if not version:
        return 0
    libc.prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS: restrict_self needs it without CAP_SYS_ADMIN
    rights = handled(version)
    attr = RulesetAttr(rights, 0, SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if version >= 6 else 0)
    size = 24 if version >= 6 else 16 if version >= 4 else 8
    ruleset = _check(libc.syscall(CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0)),
                     "create_ruleset")
    try:
        read = EXECUTE | READ_FILE | READ_DIR
        rules = [("/", read), ("/dev", read | WRITE_FILE | TRUNCATE | IOCTL_DEV)]
        rules += [(path, rights) for path in writable]
        for path, access in rules:
            try:
                handle = os.open(path, os.O_PATH | os.O_CLOEXEC | os.O_DIRECTORY)
            except OSError:
                continue
            try:
                rule = PathBeneathAttr(access & rights, handle)
                _check(libc.syscall(ADD_RULE, ruleset, RULE_PATH_BENEATH, ctypes.byref(rule), ctypes.c_uint32(0)),
                       "add_rule %s" % path)
            finally:
                os.close(handle)
        _check(libc.syscall(RESTRICT_SELF, ruleset, ctypes.c_uint32(0)), "restrict_self")
    finally:
        os.close(ruleset)
    return version


def main(argv):
    """`DIR:DIR... PROGRAM ARGS...`: restricts this process to writing beneath the DIRs, then becomes PROGRAM. A
    ruleset the kernel refuses stops the run (126) rather than letting it go on unrestricted."""
    try:
        restrict([path for path in argv[0].split(":") if path])
    except OSError as error:
        os.write(2, ("autocoder: cannot apply Landlock: %s\n" % error).encode())
        os._exit(126)
    try:
        os.execvp(argv[1], argv[1:])
    except OSError as error:
        os.write(2, ("autocoder: cannot run %s: %s\n" % (argv[1], error.strerror)).encode())
        os._exit(127 if error.errno == errno.ENOENT else 126)


if __name__ == "__main__":
    main(sys.argv[1:])
