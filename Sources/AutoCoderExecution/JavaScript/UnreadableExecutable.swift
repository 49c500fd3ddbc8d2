import Foundation

/// A copy of an executable that the sandbox's user may run but not read (mode 0111, in autocoder's cache). Linux
/// makes a process started from a file its user cannot read non-dumpable, so no other process of that user (a child
/// the code under test starts) can open its `/proc/PID/mem` or attach to it. JavaScript's seal lives in the test
/// process's memory; node runs from such a copy (docs/INTEGRITY.md, "JavaScript").
enum UnreadableExecutable {
    /// The copy of `executable` (made on first use, kept while its size and time stay the same), or `nil` when it
    /// cannot be made (the run then uses `executable` itself).
    static func copy(of executable: String) -> String? {
        let real = URL(fileURLWithPath: executable).resolvingSymlinksInPath().path
        let directory = CacheDirectory.url.appendingPathComponent("exec-only", isDirectory: true)
            .appendingPathComponent(
                (real as NSString).lastPathComponent + "-" + CacheDirectory.stamp(of: [real]), isDirectory: true)
        let copy = directory.appendingPathComponent((real as NSString).lastPathComponent).path
        let manager = FileManager.default
        if let attributes = try? manager.attributesOfItem(atPath: copy),
            (attributes[.posixPermissions] as? Int) == 0o111
        {
            return copy
        }
        do {
            try manager.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            let staging = copy + ".\(ProcessInfo.processInfo.processIdentifier).partial"
            try? manager.removeItem(atPath: staging)
            try manager.copyItem(atPath: real, toPath: staging)
            try manager.setAttributes([.posixPermissions: 0o111], ofItemAtPath: staging)
            guard rename(staging, copy) == 0 else { return nil }
            return copy
        } catch {
            return nil
        }
    }
}
