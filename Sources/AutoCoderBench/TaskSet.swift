import AutoCoder
import AutoCoderExecution
import Foundation

/// A directory of task directories, each optionally with `solution/` (a reference) and `broken/` (a wrong answer).
public enum TaskSet {
    /// The problems in `directory`, sorted by name.
    /// - Throws: ``InputError`` for a missing directory or a task that cannot be loaded.
    public static func load(directory: URL) throws -> [BenchProblem] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else { throw InputError("The task set \(directory.path) does not exist or is not a directory.") }
        let entries = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        var problems: [BenchProblem] = []
        for entry in entries where !entry.hasPrefix(".") {
            let folder = directory.appendingPathComponent(entry)
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("task.md").path) else {
                continue
            }
            let task = try TaskLoader(languages: Toolchains.languages).load(directory: folder)
            problems.append(
                BenchProblem(
                    id: entry, task: task, reference: try files(in: folder.appendingPathComponent("solution")),
                    broken: try files(in: folder.appendingPathComponent("broken"))))
        }
        guard !problems.isEmpty else { throw InputError("The task set \(directory.path) holds no task directory.") }
        return problems
    }

    private static func files(in folder: URL) throws -> [CodeFile] {
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        return try TaskLoader(languages: Toolchains.languages).readFiles(under: folder)
    }
}
