import AutoCoder
import Foundation

/// The git commands `fix` needs, run through the spawning path in the user's repository (the user's own program,
/// with the user's environment less its secrets).
public struct GitRepository: Sendable {
    public let root: URL
    let git: String

    /// The repository at `root`, or `nil` when it is not a git work tree (or git is missing).
    public static func open(_ root: URL) async -> GitRepository? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard let git = ExecutableSearch.locate("git", path: path) else { return nil }
        let repository = GitRepository(root: root, git: git)
        guard let inside = try? await repository.run(["rev-parse", "--is-inside-work-tree"]), inside == "true" else {
            return nil
        }
        return repository
    }

    /// The work tree's top folder (where `.git` is), or `nil`.
    public func topLevel() async -> URL? {
        (try? await run(["rev-parse", "--show-toplevel"])).map { URL(fileURLWithPath: $0).standardizedFileURL }
    }

    /// The commit checked out, or `nil` in a repository with no commit yet.
    public func head() async -> String? {
        try? await run(["rev-parse", "HEAD"])
    }

    /// Whether the work tree has changes (tracked or untracked, ignored files aside).
    public func isDirty() async throws -> Bool {
        !(try await run(["status", "--porcelain"])).isEmpty
    }

    /// Creates the branch `name` at the commit checked out, and checks it out.
    public func createBranch(_ name: String) async throws {
        try await run(["checkout", "-b", name])
    }

    /// Commits `files` (already written into the work tree), with `message`.
    public func commit(_ files: [String], message: String) async throws {
        try await run(["add", "--"] + files)
        _ = try await run(
            ["-c", "user.name=autocoder", "-c", "user.email=autocoder@localhost", "commit", "-m", message, "--"]
                + files)
    }

    /// Runs git with `arguments` in the root; its standard output, trimmed.
    /// - Throws: ``GitError`` with git's message when it fails.
    @discardableResult
    func run(_ arguments: [String]) async throws -> String {
        let result = try await ProcessRunner().run(
            ProcessRequest(
                executable: git, arguments: ["-C", root.path] + arguments, workingDirectory: root.path,
                timeout: .seconds(60)))
        guard result.exitCode == 0 else {
            throw GitError(
                "git \(arguments.joined(separator: " ")) failed: "
                    + result.standardError.text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return result.standardOutput.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A git command that failed.
public struct GitError: Error, LocalizedError, Hashable, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var errorDescription: String? { message }
}
