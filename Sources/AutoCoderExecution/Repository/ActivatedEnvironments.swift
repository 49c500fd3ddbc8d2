import AutoCoder
import Foundation
import Synchronization

/// The virtualenv a `poetry run` command runs in, found on the host as the user's shell would find it in the tree
/// (`poetry env info -p` reads the tree's `pyproject.toml` and the user's poetry settings). Poetry keeps it under the
/// user's cache, which the sandbox does not show; there, poetry would make an empty one and run whatever `PATH`
/// finds. The run is given that one virtualenv, read-only, and `VIRTUAL_ENV` naming it, which poetry takes as the
/// environment to use. Found once per command and tree.
final class ActivatedEnvironments: Sendable {
    private let found = Mutex<[String: String?]>([:])

    func environment(for command: String, in tree: String) async -> String? {
        guard command.split(whereSeparator: \.isWhitespace).contains("poetry") else { return nil }
        let key = command + "\u{0}" + tree
        if let known = found.withLock({ $0[key] }) { return known }
        let path = await Self.poetryEnvironment(in: tree)
        found.withLock { $0[key] = path }
        return path
    }

    private static func poetryEnvironment(in tree: String) async -> String? {
        let request = ProcessRequest(
            executable: "/bin/sh", arguments: ["-c", "poetry env info -p"], environment: ChildEnvironment.scrubbed(),
            workingDirectory: tree, timeout: .seconds(60))
        guard let result = try? await ProcessRunner().run(request), result.exitCode == 0 else { return nil }
        let path = result.standardOutput.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard path.hasPrefix("/"), FileManager.default.fileExists(atPath: path + "/pyvenv.cfg") else { return nil }
        return path
    }
}
