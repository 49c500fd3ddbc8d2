import AutoCoder
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// How autocoder reads a file under a run's directories, which the code under test may have replaced: never
/// through a symbolic link (in the file's own name or in any folder between the run's root and it), only a regular
/// file, and at most `limit` bytes. What breaks a rule is remembered, and the run's verdict becomes `tampered`
/// (``Workspace/finalVerdict(_:tests:)``): code that points autocoder at a host file gets nothing of it back.
public final class PlantedFiles: @unchecked Sendable {
    private let lock = NSLock()
    private var found: [IntegrityFinding] = []

    public init() {}

    /// What was refused so far, one finding a file.
    public var findings: [IntegrityFinding] {
        lock.withLock { found }
    }

    func refuse(_ relative: String, _ message: String) {
        let finding = IntegrityFinding(
            rule: "planted-file", file: relative, message: message, proven: true)
        lock.withLock { if !found.contains(finding) { found.append(finding) } }
    }

    /// The bytes of the file at `path` beneath `root` (both absolute; `root` is autocoder's own, never the code's),
    /// `nil` when there is no such file or it breaks a rule (then remembered). With `limit` `nil` (a captured stream,
    /// which the run's own output limit bounds) the file is handed to `each` in chunks, whatever its size.
    func read(
        _ path: String, beneath root: String, limit: Int?, each: ((UnsafeRawBufferPointer) -> Void)? = nil
    ) -> Data? {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        guard path.hasPrefix(prefix) else { return nil }
        let relative = String(path.dropFirst(prefix.count))
        let components = relative.split(separator: "/").map(String.init)
        guard !components.isEmpty, !components.contains(".."), !components.contains(".") else { return nil }
        var directory = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { return nil }
        defer { close(directory) }
        for component in components.dropLast() {
            let next = openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else {
                if errno == ELOOP || errno == ENOTDIR {
                    refuse(relative, "a folder on the way to \(relative) was replaced by a link or a file")
                }
                return nil
            }
            close(directory)
            directory = next
        }
        let descriptor = openat(directory, components.last!, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ELOOP {
                refuse(relative, "\(relative) was replaced by a symbolic link; autocoder does not follow it")
            } else if errno == ENXIO {
                refuse(relative, "\(relative) was replaced by something that is not a regular file")
            }
            return nil
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        guard status.st_mode & S_IFMT == S_IFREG else {
            refuse(relative, "\(relative) was replaced by something that is not a regular file")
            return nil
        }
        guard let limit else {
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                buffer.withUnsafeBytes { each?(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            }
            return Data()
        }
        guard Int(status.st_size) <= limit else {
            refuse(relative, "\(relative) is larger than \(limit) bytes, more than its writer ever writes")
            return nil
        }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while data.count <= limit {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            data.append(contentsOf: buffer[0..<count])
        }
        guard data.count <= limit else {
            refuse(relative, "\(relative) grew past \(limit) bytes while it was read")
            return nil
        }
        return data
    }
}

extension Workspace {
    /// The most a report, a record or a captured stream may hold when autocoder reads it back.
    public static let readLimit = 64 << 20

    /// The bytes of a file under this workspace that the code could have replaced (a report, a record, a test
    /// file, captured output), read by ``PlantedFiles``' rules; `nil` when it is not there or breaks them.
    public func readBack(_ url: URL, limit: Int = Workspace.readLimit) -> Data? {
        planted.read(url.standardizedFileURL.path, beneath: root.standardizedFileURL.path, limit: limit)
    }

    /// A captured stream (the run's standard output or error), read by the same rules but for the size: a run stopped
    /// at its output limit may have written more than any bound, and `output` keeps its head and tail.
    func readStream(_ url: URL, into output: inout CapturedOutput) {
        var kept = output
        _ = planted.read(url.standardizedFileURL.path, beneath: root.standardizedFileURL.path, limit: nil) {
            kept.append($0)
        }
        output = kept
    }

    /// `result` made `tampered` when the run planted a file that autocoder refused to read.
    func checkingPlantedFiles(in result: TestResult) -> TestResult {
        let findings = planted.findings
        return findings.isEmpty ? result : result.tampered(by: findings)
    }
}
