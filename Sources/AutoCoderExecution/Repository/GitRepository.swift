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

    /// Commits `files` on a new branch `name` whose parent is the commit checked out, with `message`, through a
    /// private index: the user's branch, index and work tree stay as they are.
    public func commitOnNewBranch(_ name: String, files: [CodeFile], message: String) async throws {
        let index = FileManager.default.temporaryDirectory.appendingPathComponent(
            "autocoder-index-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: index) }
        let environment = ["GIT_INDEX_FILE": index.path]
        try await run(["read-tree", "HEAD"], environment: environment)
        for file in files {
            let blob = try await run(
                ["hash-object", "-w", "--stdin"], input: String(decoding: file.bytes, as: UTF8.self))
            let mode =
                (try? await run(["ls-files", "-s", "--", file.path], environment: environment))?
                .split(separator: " ").first.map(String.init) ?? "100644"
            try await run(
                ["update-index", "--add", "--cacheinfo", "\(mode.isEmpty ? "100644" : mode),\(blob),\(file.path)"],
                environment: environment)
        }
        let tree = try await run(["write-tree"], environment: environment)
        let commit = try await run(
            [
                "-c", "user.name=autocoder", "-c", "user.email=autocoder@localhost", "commit-tree", tree, "-p", "HEAD",
                "-m", message,
            ])
        try await run(["branch", name, commit])
    }

    /// Runs git with `arguments` in the root; its standard output, trimmed.
    /// - Throws: ``GitError`` with git's message when it fails.
    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) async throws -> String {
        let result = try await ProcessRunner().run(
            ProcessRequest(
                executable: git, arguments: ["-C", root.path] + arguments,
                environment: ChildEnvironment.scrubbed().merging(environment) { $1 }, workingDirectory: root.path,
                timeout: .seconds(60), input: input))
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
