"""A seccomp filter for the test process: the system calls that code under test has no use for, and that could
reach past the sandbox (debugging other processes, mounting, new namespaces, kernel keys and modules, BPF), fail
with EPERM. Installed by the test process itself, after its sandbox is set up and before any code under test is
imported; a filter cannot be removed, and it holds for every process the code starts.

x86_64 only: elsewhere `install` returns False and the run goes on without it (`autocoder doctor` says so)."""

import ctypes
import os
import platform
import struct

AUDIT_ARCH_X86_64 = 0xC000003E
X32_SYSCALL_BIT = 0x40000000
# x86_64 numbers.
DENIED = {
    "ptrace": 101, "mount": 165, "umount2": 166, "pivot_root": 155, "unshare": 272, "setns": 308, "bpf": 321,
    "perf_event_open": 298, "keyctl": 250, "add_key": 248, "request_key": 249, "userfaultfd": 323,
    "kexec_load": 246, "kexec_file_load": 320, "init_module": 175, "finit_module": 313, "delete_module": 176,
    "open_by_handle_at": 304, "process_vm_readv": 310, "process_vm_writev": 311, "open_tree": 428,
    "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433, "mount_setattr": 442,
}
CLONE, CLONE3 = 56, 435
# CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET: `clone` may make threads and processes,
# not namespaces.
CLONE_NAMESPACES = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000

LD_W_ABS, JEQ, JGE, JSET, RET = 0x20, 0x15, 0x35, 0x45, 0x06
ALLOW, ERRNO = 0x7FFF0000, 0x00050000
EPERM, ENOSYS = 1, 38
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2


def program():
    """The filter as (code, jt, jf, k) instructions; jumps go to the labels "eperm", "enosys" and "clone"."""
    body = [("ld", 4), ("jne_arch",), ("ld", 0), ("jge", X32_SYSCALL_BIT, "eperm")]
    body += [("jeq", number, "eperm") for number in sorted(DENIED.values())]
    body += [("jeq", CLONE3, "enosys"), ("jeq", CLONE, "clone"), ("ret", ALLOW)]
    labels = {"clone": len(body)}
    body += [("ld", 16), ("jset", CLONE_NAMESPACES, "eperm"), ("ret", ALLOW)]
    labels["eperm"] = len(body)
    body.append(("ret", ERRNO | EPERM))
    labels["enosys"] = len(body)
    body.append(("ret", ERRNO | ENOSYS))
    code = []
    for index, instruction in enumerate(body):
        kind = instruction[0]
        if kind == "ld":
            code.append((LD_W_ABS, 0, 0, instruction[1]))
        elif kind == "jne_arch":
            code.append((JEQ, 0, labels["eperm"] - index - 1, AUDIT_ARCH_X86_64))
        elif kind in ("jeq", "jge", "jset"):
            op = {"jeq": JEQ, "jge": JGE, "jset": JSET}[kind]
            code.append((op, labels[instruction[2]] - index - 1, 0, instruction[1]))
        else:
            code.append((RET, 0, 0, instruction[1]))
    assert all(0 <= jt < 256 and 0 <= jf < 256 for _, jt, jf, _ in code)
    return code


class _Prepared:
    libc = None
    buffer = None
    count = 0


def prepare():
    """Builds the filter and loads libc once (the warm worker does it before it forks); False where it does not
    apply."""
    if platform.machine() != "x86_64":
        return False
    if _Prepared.libc is None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
        instructions = program()
        blob = b"".join(struct.pack("HBBI", *instruction) for instruction in instructions)
        _Prepared.buffer = ctypes.create_string_buffer(blob, len(blob))
        _Prepared.count = len(instructions)
        _Prepared.libc = libc
    return True


def install():
    """Installs the filter on this process (and so on everything it starts); False where it does not apply."""
    if not prepare():
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
    # A self-check: install, then try what the filter refuses.
    print("installed", install())
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
