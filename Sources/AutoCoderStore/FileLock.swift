import Foundation

/// An exclusive advisory lock (`flock`) on a file, held between processes (and between separate opens in one).
///
/// The lock file is left in place when released: removing it would let two processes lock two different files.
final class FileLock {
    private var descriptor: Int32

    /// The lock file cannot be opened for writing (no permission, a read-only file system).
    struct OpenError: Error {
        var reason: String
    }

    /// Waits until the lock on `path` is free, then takes it.
    init(path: String) throws {
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw OpenError(reason: "its lock file \(path): \(String(cString: strerror(errno)))")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(descriptor)
                throw RunStoreError(.failed, "Cannot lock \(path): \(String(cString: strerror(errno)))")
            }
        }
        self.descriptor = descriptor
    }

    /// Releases the lock (also done when the value goes away).
    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit {
        release()
    }
}
