import AutoCoder
import AutoCoderExecution
import Foundation

/// What `fix` adds to one iteration besides the test command and the model: a run of `true` as the test command
/// through ``RepositoryExecutor`` (a repository of N files laid out in a fresh workspace, the attempt's file written,
/// the protected files compared), against the same command in a fresh workspace with no repository, alternated in
/// one process, for repositories of 1, 1,000 and 10,000 files.
enum FixBenchmark {
    static func run(runs: Int) async throws {
        print("fix: one iteration with `true` as the test command, \(runs) runs per arm, alternating.\n")
        let sandbox = Sandbox()
        let bare = { @Sendable in
            let workspace = try Workspace.create(sandbox: sandbox)
            defer { workspace.remove() }
            try workspace.write([CodeFile(path: "pkg/mod0.py", content: "VALUE = 2\n")])
            _ = try await sandbox.run(
                ProcessRequest(
                    executable: "/bin/sh", arguments: ["-c", "true"], workingDirectory: workspace.directory.path),
                writable: workspace.writablePaths)
        }
        for files in [1, 1_000, 10_000] {
            let root = try repository(files: files)
            defer { try? FileManager.default.removeItem(at: root) }
            var repositoryTask = CodingTask(description: "bench", tests: [], language: "python", solutionPath: "")
            repositoryTask.repository = RepositoryContext(
                root: root.path, testCommand: "true", protectedPatterns: ["tests/**"])
            let task = repositoryTask
            let executor = RepositoryExecutor(sandbox: sandbox)
            let attempt = [CodeFile(path: "pkg/mod0.py", content: "VALUE = 2\n")]
            let timings = try await SandboxBenchmark.compare(runs: runs) { withRepository in
                if withRepository {
                    let result = try await executor.test(attempt, for: task)
                    guard result.outcome == .passed else { throw BenchmarkError("the run failed: \(result.summary)") }
                } else {
                    try await bare()
                }
            }
            SandboxBenchmark.report(
                "a repository of \(files) file(s)", timings, arms: ("no repository:  ", "the repository: "))
        }
    }

    /// A repository of `files` small Python modules in directories of 100, and one test file.
    static func repository(files: Int) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("autocoder-bench-fix-\(files)")
        try? FileManager.default.removeItem(at: root)
        for index in 0..<files {
            let directory = root.appendingPathComponent(index < 100 ? "pkg" : "pkg/sub\(index / 100)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try String(repeating: "def f\(index)(x):\n    return x + \(index)\n\n", count: 12).write(
                to: directory.appendingPathComponent("mod\(index).py"), atomically: false, encoding: .utf8)
        }
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("tests"), withIntermediateDirectories: true)
        try "def test_true():\n    assert True\n".write(
            to: root.appendingPathComponent("tests/test_a.py"), atomically: false, encoding: .utf8)
        return root
    }
}
