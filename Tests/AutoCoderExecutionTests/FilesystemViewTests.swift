import AutoCoder
import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderExecution

/// What code in the sandbox sees of the host: the system directories, the interpreter's and the run's, nothing
/// else; and it sees them as an unprivileged user.
@Suite(.serialized) struct FilesystemViewTests {
    let marker = "v\(UInt64.random(in: 100_000_000_000...999_999_999_999))"

    @Test func entriesBindOuterPathsFirstAndLeadToEachBoundPath() throws {
        let view = FilesystemView(
            readOnly: ["/opt/tool/usr", "/usr/lib/python3", "/", "/tmp/run/work/.build"],
            writable: ["/tmp/run/work", "/tmp/run/home"])
        let entries = view.entries()
        let position = { (entry: FilesystemView.Entry) in try #require(entries.firstIndex(of: entry), "\(entry)") }
        _ = try position(.readOnly("/etc"))
        #expect(!entries.contains(.readOnly("/")), "the whole host is never bound")
        #expect(!entries.contains(.readOnly("/usr/lib/python3")), "a path inside /usr is there already")
        #expect(try position(.directory("/opt")) < position(.readOnly("/opt/tool/usr")), "the way in comes first")
        #expect(entries.contains(.directory("/opt/tool")))
        #expect(
            try position(.writable("/tmp/run/work")) < position(.readOnly("/tmp/run/work/.build")),
            "a read-only path inside a writable one is bound after it, so it stays read-only")
        #expect(entries.filter { $0 == .directory("/tmp/run") }.count == 1)
        #expect(!entries.contains(.directory("/tmp/run/work")), "nothing is made inside a bound path")
        #expect(
            try position(.temporary("/tmp", sizeBytes: 1 << 30)) < position(.writable("/tmp/run/work")),
            "the private /tmp is there before the workspace is bound into it")
    }

    @Test func theInterpretersRuntimeDirectoriesLeaveOutTheSystemOnes() async throws {
        let interpreter = try await PythonInterpreter.resolve()
        let directories = await interpreter.runtimeDirectories()
        #expect(!directories.contains("/"))
        #expect(directories.allSatisfy { !FilesystemView.isSystemPath($0) })
        let entries = PythonInterpreter.runtimeDirectories(["/usr/lib/python3.11", "/opt/py", "/opt/py/lib", "/"])
        #expect(entries == ["/opt/py"] || entries.isEmpty, "\(entries)")
    }

    /// A secret planted in root's home (where the run store lives too), `/etc/shadow`, `/home`, `/var` and this
    /// checkout give "no such file" or "permission denied"; the code is not root and cannot write the tests.
    @Test(arguments: [true, false])
    func theHostsPrivateFilesAreOutOfReach(_ warm: Bool) async throws {
        try await requireLayers(.filesystemView, .unprivilegedUser)
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        let planted = "\(home)/.autocoder-secret-\(marker)"
        try "SECRET-\(marker)".write(toFile: planted, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: planted) }
        chmod(planted, 0o600)
        let autocoderHome =
            ProcessInfo.processInfo.environment["AUTOCODER_HOME"] ?? "\(home)/.autocoder"
        let paths = [
            planted, "/etc/shadow", "/etc/gshadow", "/home", "/var", "/var/lib", autocoderHome,
            FileManager.default.currentDirectoryPath + "/Package.swift",
        ]
        // Root's home holds nothing but the way to the interpreter, when the interpreter lives there (pyenv).
        let interpreter = try await PythonInterpreter.resolve()
        let leading = await interpreter.runtimeDirectories().filter { $0.hasPrefix(home + "/") }.map {
            String($0.dropFirst(home.count + 1).split(separator: "/")[0])
        }
        let tests = """
            import os

            PATHS = \(paths)
            HOME, LEADING = \(String(reflecting: home)), \(leading)

            def read(path):
                if os.path.isdir(path):
                    return os.listdir(path)
                with open(path) as handle:
                    return handle.read()

            def test_nothing_private_can_be_read():
                seen = {}
                for path in PATHS:
                    try:
                        seen[path] = read(path)
                    except (FileNotFoundError, PermissionError):
                        pass
                assert not seen, "read: %r" % seen
                if os.path.isdir(HOME):
                    assert set(os.listdir(HOME)) <= set(LEADING), os.listdir(HOME)

            def test_not_root_and_the_tests_are_read_only():
                assert os.getuid() != 0 and os.geteuid() != 0
                try:
                    open(__file__, "a").close()
                except PermissionError:
                    pass
                else:
                    raise AssertionError("the test file is writable")
                open("made-by-the-code.txt", "w").close()
            """
        let task = CodingTask(
            description: "private files", tests: [CodeFile(path: "test_\(marker).py", content: tests)])
        let executor = PytestExecutor(warmWorker: warm, integrity: .off, workers: .forTests)
        if warm { try #require(await executor.warmUp(workers: 1)) }
        let result = try await executor.test([], for: task)
        #expect(
            result.outcome == .passed, "warm \(warm): \(result.summary)\n\(result.tests.map { $0.message ?? "" })")
        #expect(result.numPassed == 2)
        #expect(!result.output.contains("SECRET-\(marker)"))
        if warm {
            #expect(await executor.workers.sandboxProblem == nil, "the run did not go through the worker")
        }
    }
}

/// The disk limit: the workspace is a tmpfs of `--disk` (run as root), so writing without end stops there and
/// never reaches the host's disk.
@Suite(.serialized) struct DiskLimitTests {
    let marker = "d\(UInt64.random(in: 100_000_000_000...999_999_999_999))"

    /// 3 GB in 150 files of 20 MB: one file is below every per-file limit, the whole is not.
    static let bomb = """
        def test_fill_the_disk():
            chunk = b"x" * (20 << 20)
            for index in range(150):
                with open("bomb-%d" % index, "wb") as handle:
                    handle.write(chunk)
        """

    static func freeBytes(_ path: String) -> Int {
        var status = statvfs()
        guard statvfs(path, &status) == 0 else { return 0 }
        return Int(status.f_bavail) * Int(status.f_frsize)
    }

    @Test(arguments: [true, false])
    func aDiskBombStopsAtTheDiskLimit(_ warm: Bool) async throws {
        try await requireLayers(.diskQuota)
        let task = CodingTask(
            description: "disk bomb", tests: [CodeFile(path: "test_\(marker).py", content: Self.bomb)],
            timeoutSeconds: 60)
        let executor = PytestExecutor(
            sandbox: Sandbox(memoryBytes: 2048 * 1_048_576, diskBytes: 256 * 1_048_576), warmWorker: warm,
            integrity: .off)
        if warm { try #require(await executor.warmUp(workers: 1)) }
        let temporary = FileManager.default.temporaryDirectory.path
        let before = Self.freeBytes(temporary)
        let result = try await executor.test([], for: task)
        let after = Self.freeBytes(temporary)
        #expect(result.outcome == .crashed, "warm \(warm): \(result.summary)")
        #expect(result.message?.contains("disk limit of 256 MB (--disk)") == true, "\(result.message ?? "")")
        // Other work on this machine moves the free space too; the bomb alone would have taken 3 GB.
        #expect(before - after < 256 * 1_048_576, "the host's disk lost \((before - after) / 1_048_576) MB")
        #expect(!FileManager.default.fileExists(atPath: temporary + "/bomb-0"))
    }

    /// With the defaults (disk and memory both 1024 MB) the files, which live in memory, meet the memory limit
    /// first: the run is still a crash, and the message names the disk limit too.
    @Test func withTheDefaultsTheMessageNamesBothLimits() async throws {
        try await requireLayers(.diskQuota)
        let task = CodingTask(
            description: "disk bomb", tests: [CodeFile(path: "test_\(marker).py", content: Self.bomb)],
            timeoutSeconds: 60)
        let result = try await PytestExecutor(warmWorker: false, integrity: .off).test([], for: task)
        #expect(result.outcome == .crashed, "\(result.summary)")
        #expect(result.message?.contains("1024 MB (--disk)") == true, "\(result.message ?? "")")
    }

    /// A workspace whose process died (SIGKILL leaves its tmpfs mounted) is unmounted and removed by the next
    /// process that makes one.
    @Test func aDeadProcesssWorkspaceIsSweptAway() async throws {
        try await requireLayers(.diskQuota)
        let stale = FileManager.default.temporaryDirectory.appendingPathComponent("autocoder-\(marker)").path
        try FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: false)
        defer {
            umount2(stale, Int32(MNT_DETACH))
            try? FileManager.default.removeItem(atPath: stale)
        }
        try #require(mount("tmpfs", stale, "tmpfs", 0, "size=1m") == 0)
        // A PID above any the kernel hands out, so no process has it.
        try "\(Int32.max - 7) 1\n".write(
            toFile: stale + "/" + WorkspaceDisk.ownerFile, atomically: false, encoding: .utf8)
        // This process's own, alive, stays.
        let live = stale + "-live"
        try FileManager.default.createDirectory(atPath: live, withIntermediateDirectories: false)
        let mine = try #require(WorkspaceDisk.mount(at: live, bytes: 1 << 20))
        defer {
            mine.unmount()
            try? FileManager.default.removeItem(atPath: live)
        }
        let mounts = { (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? "" }
        #expect(mounts().contains(stale + " "))
        WorkspaceDisk.sweep()
        #expect(!mounts().contains(stale + " "), "the dead process's workspace is still mounted")
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(mounts().contains(live + " "), "a live process's workspace was swept")
    }
}
