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
    static func open(_ text: String?) throws -> FileDescriptor {
        guard let text else { return try FileDescriptor.open("/dev/null", .readOnly) }
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
}
