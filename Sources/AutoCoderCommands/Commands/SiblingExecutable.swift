import AutoCoderProcess
import Foundation

/// A front end built as an executable of its own beside `autocoder` (`autocoder-mcp`, `autocoder-serve`,
/// `autocoder-worker`), so that the core CLI never builds its dependencies: the command that fronts it execs it in
/// this process's place, or runs it as a child.
enum SiblingExecutable {
    /// Runs `name` from this binary's folder with `arguments`, in place of this process; throws when it is not built
    /// (saying how to build it) or cannot start.
    static func exec(_ name: String, arguments: [String], what: String) throws -> Never {
        let path = try locate(name, what: what)
        let failure = ProcessReplacement.exec(path, arguments: arguments)
        throw CLIExit.toolFailure("could not start \(path): \(failure)")
    }

    /// The path of `name` in this binary's folder; throws, saying how to build it, when it is not built.
    private static func locate(_ name: String, what: String) throws -> String {
        let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let path = binary.deletingLastPathComponent().appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw CLIExit.toolFailure(
                "\(what) is not built: \(path) is missing. Build it with `swift build --product \(name)`.")
        }
        return path
    }
}

extension SiblingExecutable {
    /// Runs `name` from this binary's folder as a child with `arguments`, `input` on its stdin and `environment`
    /// added to this process's, and returns its stdout; its stderr goes to the user. A failure exit becomes this
    /// command's (2 stays bad input, anything else is a tool failure), with the sibling's last line as the message.
    static func call(
        _ name: String, arguments: [String], input: String? = nil, environment extra: [String: String] = [:],
        what: String
    ) async throws -> String {
        let path = try locate(name, what: what)
        let result = try await ProcessRunner().run(
            ProcessRequest(
                executable: path, arguments: arguments,
                environment: ProcessInfo.processInfo.environment.merging(extra) { $1 },
                workingDirectory: FileManager.default.currentDirectoryPath, timeout: .seconds(3600),
                outputLimit: 256 * 1024 * 1024, limits: ResourceLimits(fileSizeBytes: nil, openFiles: nil),
                input: input))
        let errors = result.standardError.text
        guard result.shellExitCode == 0 else {
            let last = errors.split(separator: "\n").last.map(String.init) ?? "\(name) failed"
            let message = last.hasPrefix("autocoder: ") ? String(last.dropFirst("autocoder: ".count)) : last
            throw result.shellExitCode == 2 ? CLIExit.badInput(message) : CLIExit.toolFailure(message)
        }
        if !errors.isEmpty { FileHandle.standardError.write(Data(errors.utf8)) }
        return result.standardOutput.text
    }
}
