import AutoCoder

/// Generated Python modules that would stand in for something the tests rely on.
enum ModuleShadowing {
    /// Modules that pytest itself is made of; a file of that name must never sit beside the tests.
    /// (`conftest.py` is not among them: `--noconftest` makes pytest ignore it.)
    static let runnerModules: Set<String> = ["pytest", "_pytest", "pluggy", "py"]

    /// Why `files` may not run with `task`'s tests, or `nil`: a generated top-level module may not be named like
    /// pytest, like a test module, or like a module of the interpreter's own (the standard library's, or one installed
    /// beside it, such as numpy) that the tests import.
    static func problem(files: [CodeFile], task: CodingTask, inventory: TestInventory?) -> String? {
        let testModules = Set(task.tests.map(\.path).compactMap(topLevelModule))
        let standard = Set(inventory?.standardModules ?? [])
        let installed = Set(inventory?.installedModules ?? [])
        let imported = Set(inventory?.imports ?? [])
        for (file, module) in suspects(files: files, task: task) {
            if runnerModules.contains(module) {
                return "The file '\(file.path)' would shadow the test runner's module '\(module)'. Rename it."
            }
            if testModules.contains(module) {
                return "The file '\(file.path)' would shadow the test module '\(module)'. The tests are fixed: "
                    + "rename the file."
            }
            if imported.contains(module) && standard.contains(module) {
                return "The file '\(file.path)' would shadow the standard module '\(module)' that the tests import. "
                    + "Rename it."
            }
            if imported.contains(module) && installed.contains(module) {
                return "The file '\(file.path)' would shadow the installed module '\(module)' that the tests import. "
                    + "Rename it."
            }
        }
        return nil
    }

    /// Whether some of `files` could shadow a module the tests import, so that the tests' imports must be known
    /// before the run.
    static func needsImports(files: [CodeFile], task: CodingTask) -> Bool {
        !suspects(files: files, task: task).isEmpty
    }

    /// The generated files that could shadow a module, with their top-level module: all but the solution, the
    /// starter files, and files at a test's own path (overwritten by the test before the run, they shadow nothing).
    private static func suspects(files: [CodeFile], task: CodingTask) -> [(file: CodeFile, module: String)] {
        let allowed = Set(([task.solutionPath] + task.starterFiles.map(\.path)).compactMap(topLevelModule))
        let testPaths = Set(task.tests.map(\.path))
        return files.compactMap { file in
            guard !testPaths.contains(file.path), let module = topLevelModule(file.path), !allowed.contains(module)
            else { return nil }
            return (file, module)
        }
    }

    /// `x.py` → `x`, `pkg/mod.py` → `pkg`; `nil` for files Python cannot import by name.
    static func topLevelModule(_ path: String) -> String? {
        let parts = path.split(separator: "/").filter { $0 != "." }
        guard let first = parts.first else { return nil }
        if parts.count > 1 { return String(first) }
        guard first.hasSuffix(".py") else { return nil }
        return String(first.dropLast(3))
    }
}
