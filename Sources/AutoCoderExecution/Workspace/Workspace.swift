import AutoCoder
import Foundation

/// A fresh private directory for one run: `work/` where the code runs, `report/` beside it for the runner's
/// report (outside the working directory), and `home/`, the run's own `HOME` and `TMPDIR`.
///
/// Made for a sandbox (``create(sandbox:)``), the three are handed to the sandbox's unprivileged user, and, where
/// autocoder runs as root, the whole workspace is a tmpfs of the sandbox's disk limit: what the code writes can
/// never fill the host's disk (see ``WorkspaceDisk``).
public struct Workspace: Sendable {
    /// The directory holding both parts; removing it removes everything of the run.
    public let root: URL
    /// Where the code and the tests are written and run.
    public let directory: URL
    /// Where the runner writes its report.
    public let reportDirectory: URL
    /// The run's `HOME` and `TMPDIR`.
    public let home: URL
    /// The workspace's own size-limited filesystem, when it has one.
    public let disk: WorkspaceDisk?
    /// Removes the workspace if autocoder exits before the run does.
    private let cleanup: ExitCleanup.Token
    /// The files autocoder refused to read back (``readBack(_:limit:)``).
    let planted = PlantedFiles()

    /// Creates a new workspace under the system's temporary directory, readable only by its owner (and, for a
    /// sandbox that runs code as another user, by that user).
    /// With `keepWrittenFiles`, the code cannot replace or delete what autocoder writes into the working directory
    /// (``handToCode(_:keepWrittenFiles:)``); toolchains whose builds rewrite their lock files leave it off.
    public static func create(sandbox: Sandbox = .off, keepWrittenFiles: Bool = false) throws -> Workspace {
        let base = FileManager.default.temporaryDirectory.path
        var template = Array("\(base)/autocoder-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw WorkspaceError(
                "could not create a temporary directory under \(base): \(String(cString: strerror(errno)))")
        }
        let root = URL(fileURLWithPath: String(cString: made), isDirectory: true)
        let disk = sandbox.enabled ? WorkspaceDisk.mount(at: root.path, bytes: sandbox.diskBytes) : nil
        let workspace = Workspace(
            root: root,
            directory: root.appendingPathComponent("work", isDirectory: true),
            reportDirectory: root.appendingPathComponent("report", isDirectory: true),
            home: root.appendingPathComponent("home", isDirectory: true),
            disk: disk,
            cleanup: ExitCleanup.add {
                disk?.unmount()
                try? FileManager.default.removeItem(at: root)
            })
        do {
            for directory in [workspace.directory, workspace.reportDirectory, workspace.home] {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
            }
            if let user = sandbox.user {
                // The other user passes through the root (mode 711: it cannot list it) to its own three, which
                // root's group keeps too: bubblewrap, root without capabilities, enters the working directory.
                chmod(root.path, 0o711)
                try workspace.handToCode(user, keepWrittenFiles: keepWrittenFiles)
            }
        } catch {
            workspace.remove()
            if let error = error as? WorkspaceError { throw error }
            throw WorkspaceError("could not prepare \(root.path): \(error.localizedDescription)")
        }
        return workspace
    }

    /// The directories the code may write: the working directory, the report directory and the home. The sandbox
    /// binds only these writable (the root holds autocoder's own files, such as the staged scripts); they belong to
    /// the sandbox's user, while the files autocoder writes into them stay its own, read-only to the code.
    public var writablePaths: [String] { [directory.path, reportDirectory.path, home.path] }

    /// autocoder's own files for a run's test process (a language's guard, reporter and test globals): `harness`,
    /// beside the run's directories and never among ``writablePaths``, so that no run of the code can change what a
    /// later test process loads. Bind it read-only (``writeHarness(_:)`` makes it).
    public var harnessDirectory: URL { root.appendingPathComponent("harness", isDirectory: true) }

    /// Writes `files` (name and text) into ``harnessDirectory``: autocoder's, readable by the code's user, writable
    /// by no one else.
    public func writeHarness(_ files: [(name: String, text: String)]) throws {
        try FileManager.default.createDirectory(at: harnessDirectory, withIntermediateDirectories: true)
        chmod(harnessDirectory.path, 0o755)
        for file in files {
            let url = harnessDirectory.appendingPathComponent(file.name)
            try Data(file.text.utf8).write(to: url)
            chmod(url.path, 0o644)
        }
    }

    /// Where a bridged run's code lives, apart from the tests (``separateCode(_:sandbox:)``): `code/work`.
    public var codeDirectory: URL { root.appendingPathComponent("code/work", isDirectory: true) }
    /// The `HOME` and `TMPDIR` of a bridged run's code process: `code/home`.
    public var codeHome: URL { root.appendingPathComponent("code/home", isDirectory: true) }
    /// The directories a bridged run's code process may write.
    public var codeWritablePaths: [String] { [codeDirectory.path, codeHome.path] }

    /// Lays out a bridged run: `files` written into ``codeDirectory``, which with ``codeHome`` goes to the
    /// sandbox's user, while the working, report and home directories go to ``SandboxUser/verdict`` (when
    /// autocoder is root): the code's user can neither see nor write the tests, the report or the verdict.
    public func separateCode(_ files: [CodeFile], sandbox: Sandbox) throws {
        try FileManager.default.createDirectory(
            at: codeDirectory.deletingLastPathComponent(), withIntermediateDirectories: false)
        chmod(codeDirectory.deletingLastPathComponent().path, 0o711)
        for directory in [codeDirectory, codeHome] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        }
        try write(files, into: codeDirectory)
        guard let user = sandbox.user else { return }
        try hand(codeWritablePaths, to: user)
        try hand(writablePaths, to: SandboxUser.verdict)
    }

    /// Gives the run's directories to the code's `user`. With `keepWrittenFiles` the working directory stays
    /// autocoder's, writable to the user's group and sticky (mode 1770), so that the code can add files but cannot
    /// replace, rename or delete the ones autocoder wrote there (the tests among them).
    func handToCode(_ user: SandboxUser?, keepWrittenFiles: Bool) throws {
        guard let user else { return }
        guard keepWrittenFiles else { return try hand(writablePaths, to: user) }
        try hand([reportDirectory.path, home.path], to: user)
        guard chown(directory.path, geteuid(), user.gid) == 0, chmod(directory.path, 0o1770) == 0 else {
            throw WorkspaceError(
                "could not hand \(directory.path) to gid \(user.gid): \(String(cString: strerror(errno)))")
        }
    }

    /// Gives `paths` to `user` (mode 770, autocoder's group kept); nothing when `user` is `nil`.
    func hand(_ paths: [String], to user: SandboxUser?) throws {
        guard let user else { return }
        for path in paths {
            guard chown(path, user.uid, getegid()) == 0, chmod(path, 0o770) == 0 else {
                throw WorkspaceError("could not hand \(path) to uid \(user.uid): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Writes `files` into the working directory, creating folders as needed.
    /// - Throws: ``WorkspaceError`` for a path that leaves the directory or a write that fails.
    public func write(_ files: [CodeFile]) throws {
        try write(files, into: directory)
    }

    private func write(_ files: [CodeFile], into directory: URL) throws {
        for file in files {
            guard AttemptCheck.isSafeRelativePath(file.path) else {
                throw WorkspaceError("refusing to write '\(file.path)': not a relative path inside the workspace")
            }
            let url = directory.appendingPathComponent(file.path)
            do {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Self.writeFile(Array(file.bytes), to: url.path)
            } catch {
                let reason = (error as? WorkspaceError)?.message ?? error.localizedDescription
                throw WorkspaceError("could not write \(file.path): \(reason)")
            }
        }
    }

    /// Writes `bytes` to a new file at `path` (never through a symbolic link). Unlike `Data.write(to:)`, it does not
    /// flush the file to disk: a workspace lives for one run, and an fsync per file cost more than the write.
    static func writeFile(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else { throw WorkspaceError(String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw WorkspaceError(String(cString: strerror(errno))) }
            offset += written
        }
    }

    /// The paths among `files` whose content in the working directory is not exactly theirs (changed or gone).
    public func changedFiles(_ files: [CodeFile]) -> [String] {
        files.filter { file in
            readBack(directory.appendingPathComponent(file.path)) != file.bytes
        }.map(\.path)
    }

    /// The first step of a toolchain's test run: a workspace made for `sandbox` with `files` written (tests last, so
    /// that no generated file can stand in for one), or the result that stands for the run when that fails
    /// (`infrastructure_error` for no workspace, `error` for a file that cannot be written).
    public static func forTestRun(
        sandbox: Sandbox, files: [CodeFile], keepWrittenFiles: Bool = false
    ) -> Result<Workspace, RunSetupFailure> {
        let workspace: Workspace
        do {
            workspace = try create(sandbox: sandbox, keepWrittenFiles: keepWrittenFiles)
        } catch {
            return .failure(
                RunSetupFailure(TestResult(outcome: .infrastructureError, message: error.localizedDescription)))
        }
        do {
            try workspace.write(files)
        } catch {
            workspace.remove()
            return .failure(RunSetupFailure(TestResult(outcome: .error, message: error.localizedDescription)))
        }
        return .success(workspace)
    }

    /// The last step of every toolchain's verdict: `result` checked for changed `tests` and a full disk, with the
    /// secrets of autocoder's environment redacted from what it reports.
    public func finalVerdict(_ result: TestResult, tests: [CodeFile]) -> TestResult {
        SecretRedactor.forCurrentEnvironment().redact(
            checkingPlantedFiles(in: checkingDisk(in: checkingTests(tests, in: result))))
    }

    /// `result` turned into an error when the code under test changed or deleted one of `tests` during the run.
    public func checkingTests(_ tests: [CodeFile], in result: TestResult) -> TestResult {
        let tampered = changedFiles(tests)
        guard !tampered.isEmpty else { return result }
        var result = result
        result.outcome = .error
        result.message =
            "The code under test modified or deleted the test file(s) \(tampered.joined(separator: ", ")) during the "
            + "run, so the result cannot be trusted. The tests are read-only."
        return result
    }

    /// `result` turned into a crash when the code filled the workspace's disk (what else went wrong then, such as a
    /// report that could not be written, follows from it); a crash (out of memory) while its files took much of
    /// it says so too, since those files live in memory.
    public func checkingDisk(in result: TestResult) -> TestResult {
        guard let disk else { return result }
        var result = result
        let usage = disk.usage()
        if usage.isFull {
            result.outcome = .crashed
            result.message = disk.limitMessage
        } else if result.outcome == .crashed, usage.usedBytes >= 64 << 20 {
            result.message = SandboxedRun.joined(
                result.message,
                "Its files took \(usage.usedBytes / 1_048_576) MB of the workspace, whose disk limit is "
                    + "\(disk.bytes / 1_048_576) MB (--disk); they live in memory and count toward the memory limit too."
            )
        }
        return result
    }

    /// Deletes the workspace and everything in it.
    public func remove() {
        disk?.unmount()
        try? FileManager.default.removeItem(at: root)
        ExitCleanup.remove(cleanup)
    }
}

/// A workspace could not be created or written.
public struct WorkspaceError: Error, LocalizedError, Hashable, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var errorDescription: String? { "Workspace: \(message)" }
}

/// A test run that could not be set up, with the result that stands for it.
public struct RunSetupFailure: Error {
    public var result: TestResult

    public init(_ result: TestResult) {
        self.result = result
    }
}
