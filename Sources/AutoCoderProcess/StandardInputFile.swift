import Foundation

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// The standard input of a bounded process: a file rather than a pipe, so that a program that never reads it
/// cannot block the writer, and no write can raise SIGPIPE in the host.
enum StandardInputFile {
    /// A descriptor reading `text` from its start, or the null device when `text` is `nil`.
    /// The file is unlinked at once: it lives only as long as the descriptor.
    static func open(_ text: String?, throughPipe: Bool = false) throws -> FileDescriptor {
        guard let text else { return try FileDescriptor.open("/dev/null", .readOnly) }
        if throughPipe { return try pipe(holding: text) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("autocoder-stdin-\(UUID().uuidString)")
            .path
        let descriptor = try FileDescriptor.open(
            FilePath(path), .readWrite, options: [.create, .exclusiveCreate], permissions: [.ownerReadWrite])
        _ = unlink(path)
        do {
            _ = try descriptor.writeAll(Array(text.utf8))
            _ = try descriptor.seek(offset: 0, from: .start)
        } catch {
            try? descriptor.close()
            throw error
        }
        return descriptor
    }

    /// The read end of a pipe that holds `text` (at most 4 KiB, so the write never blocks) and whose write end is
    /// closed: a reader gets `text` once, then the end of the file.
    static func pipe(holding text: String) throws -> FileDescriptor {
        let bytes = Array(text.utf8)
        guard bytes.count <= 4096 else { throw Errno.noBufferSpace }
        let (read, write) = try FileDescriptor.pipe()
        // Kept from every other child started meanwhile: only the one it is handed to gets the pipe.
        _ = fcntl(read.rawValue, F_SETFD, FD_CLOEXEC)
        _ = fcntl(write.rawValue, F_SETFD, FD_CLOEXEC)
        do {
            _ = try write.writeAll(bytes)
            try write.close()
        } catch {
            try? read.close()
            try? write.close()
            throw error
        }
        return read
    }
}
