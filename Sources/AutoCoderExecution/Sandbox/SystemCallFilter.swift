import Foundation

/// The one seccomp filter of every sandboxed run, of every language and of `exec`: the system calls that code under
/// test has no use for and that could reach past the sandbox fail with `EPERM`: debugging other processes,
/// mounting, new namespaces of any kind (no new user namespace, so no capabilities regained inside one), `io_uring`,
/// BPF, kernel keys and modules, `userfaultfd`. `clone` may make threads and processes, never namespaces; `clone3`
/// says `ENOSYS`, so that libraries fall back to `clone`.
///
/// It is defined here only. bubblewrap loads it (`--seccomp FD`) for the command it starts; the warm pytest worker
/// and a cold pytest (`seccomp_filter.py`) install the same bytes, read from ``file()``. x86_64 only; elsewhere
/// ``file()`` is `nil` and `doctor` says the layer is missing.
public enum SystemCallFilter {
    /// The denied system calls, by name, with their x86_64 numbers.
    public static let denied: [String: UInt32] = [
        "ptrace": 101, "mount": 165, "umount2": 166, "pivot_root": 155, "unshare": 272, "setns": 308, "bpf": 321,
        "perf_event_open": 298, "keyctl": 250, "add_key": 248, "request_key": 249, "userfaultfd": 323,
        "kexec_load": 246, "kexec_file_load": 320, "init_module": 175, "finit_module": 313, "delete_module": 176,
        "open_by_handle_at": 304, "process_vm_readv": 310, "process_vm_writev": 311, "open_tree": 428,
        "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433, "mount_setattr": 442,
        "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
    ]
    static let clone: UInt32 = 56
    static let clone3: UInt32 = 435
    /// CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET.
    static let cloneNamespaces: UInt32 =
        0x0002_0000 | 0x0200_0000 | 0x0400_0000 | 0x0800_0000 | 0x1000_0000 | 0x2000_0000 | 0x4000_0000
    static let auditArchX8664: UInt32 = 0xC000_003E
    static let x32Bit: UInt32 = 0x4000_0000

    /// One classic BPF instruction (`struct sock_filter`).
    struct Instruction: Equatable {
        var code: UInt16
        var jumpTrue: UInt8
        var jumpFalse: UInt8
        var value: UInt32
    }

    /// The program: the architecture checked, x32 refused, each denied number refused, `clone` allowed without
    /// namespace flags, everything else allowed.
    static var program: [Instruction] {
        let load: UInt16 = 0x20, jumpEqual: UInt16 = 0x15, jumpAtLeast: UInt16 = 0x35, jumpSet: UInt16 = 0x45
        let ret: UInt16 = 0x06
        let allow: UInt32 = 0x7FFF_0000, eperm: UInt32 = 0x0005_0000 | 1, enosys: UInt32 = 0x0005_0000 | 38
        let numbers = denied.values.sorted()
        // Layout: 0 load arch, 1 check arch, 2 load number, 3 x32, the denied list, clone3, clone, allow,
        // [clone: load flags, test, allow], eperm, enosys.
        let listStart = 4
        let afterList = listStart + numbers.count
        let cloneLabel = afterList + 3
        let epermLabel = cloneLabel + 3
        let enosysLabel = epermLabel + 1
        func jump(from index: Int, to label: Int) -> UInt8 { UInt8(label - index - 1) }
        var code: [Instruction] = [
            Instruction(code: load, jumpTrue: 0, jumpFalse: 0, value: 4),
            Instruction(code: jumpEqual, jumpTrue: 0, jumpFalse: jump(from: 1, to: epermLabel), value: auditArchX8664),
            Instruction(code: load, jumpTrue: 0, jumpFalse: 0, value: 0),
            Instruction(code: jumpAtLeast, jumpTrue: jump(from: 3, to: epermLabel), jumpFalse: 0, value: x32Bit),
        ]
        for (offset, number) in numbers.enumerated() {
            code.append(
                Instruction(
                    code: jumpEqual, jumpTrue: jump(from: listStart + offset, to: epermLabel), jumpFalse: 0,
                    value: number))
        }
        code += [
            Instruction(code: jumpEqual, jumpTrue: jump(from: afterList, to: enosysLabel), jumpFalse: 0, value: clone3),
            Instruction(
                code: jumpEqual, jumpTrue: jump(from: afterList + 1, to: cloneLabel), jumpFalse: 0, value: clone),
            Instruction(code: ret, jumpTrue: 0, jumpFalse: 0, value: allow),
            Instruction(code: load, jumpTrue: 0, jumpFalse: 0, value: 16),
            Instruction(
                code: jumpSet, jumpTrue: jump(from: cloneLabel + 1, to: epermLabel), jumpFalse: 0,
                value: cloneNamespaces),
            Instruction(code: ret, jumpTrue: 0, jumpFalse: 0, value: allow),
            Instruction(code: ret, jumpTrue: 0, jumpFalse: 0, value: eperm),
            Instruction(code: ret, jumpTrue: 0, jumpFalse: 0, value: enosys),
        ]
        return code
    }

    /// The program as the kernel takes it: 8 bytes an instruction, in this machine's byte order.
    static var bytes: [UInt8] {
        program.flatMap { instruction -> [UInt8] in
            withUnsafeBytes(of: instruction.code) { Array($0) } + [instruction.jumpTrue, instruction.jumpFalse]
                + withUnsafeBytes(of: instruction.value) { Array($0) }
        }
    }

    /// Whether the filter applies on this machine.
    public static var applies: Bool {
        #if arch(x86_64)
            return true
        #else
            return false
        #endif
    }

    /// A private file (mode 600, removed when autocoder exits) holding ``bytes``, written once per process; `nil`
    /// where the filter does not apply or the file cannot be written.
    public static func file() -> String? {
        written.path
    }

    private static let written: (path: String?, cleanup: ExitCleanup.Token?) = {
        guard applies else { return (nil, nil) }
        var template = Array("\(FileManager.default.temporaryDirectory.path)/autocoder-seccomp-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { return (nil, nil) }
        let path = String(cString: template)
        let data = bytes
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        fchmod(descriptor, 0o600)
        close(descriptor)
        guard written == data.count else {
            unlink(path)
            return (nil, nil)
        }
        return (path, ExitCleanup.add { unlink(path) })
    }()
}
