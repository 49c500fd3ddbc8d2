import AutoCoderProcess
import Foundation

/// A front end built as an executable of its own beside `autocoder` (`autocoder-mcp`, `autocoder-serve`), so that the
/// core CLI never builds its dependencies: the command that fronts it execs it in this process's place.
enum SiblingExecutable {
    /// Runs `name` from this binary's folder with `arguments`, in place of this process; throws when it is not built
    /// (saying how to build it) or cannot start.
    static func exec(_ name: String, arguments: [String], what: String) throws -> Never {
        let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let path = binary.deletingLastPathComponent().appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw CLIExit.toolFailure(
                "\(what) is not built: \(path) is missing. Build it with `swift build --product \(name)`.")
        }
        let failure = ProcessReplacement.exec(path, arguments: arguments)
        throw CLIExit.toolFailure("could not start \(path): \(failure)")
    }
}
