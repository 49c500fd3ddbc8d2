import Foundation

/// Reads coding tasks from disk.
///
/// A task directory holds `task.md` (the description, with optional YAML front matter setting `language`,
/// `solution`, `max_iterations`, `timeout` and `module`), `tests/` (the test files), and optionally `starter/`
/// (files the workspace starts with) and `holdout/` (tests never shown to the generator).
public struct TaskLoader: Sendable {
    /// The languages a task may be in; the first is taken when the test files do not say.
    public var languages: LanguageCatalog

    public init(languages: LanguageCatalog) {
        self.languages = languages
    }

    /// The task in `directory`.
    /// - Throws: ``InputError`` naming what is missing or wrong.
    public func load(directory: URL) throws -> CodingTask {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw InputError("The task directory \(directory.path) does not exist.")
        }
        guard isDirectory.boolValue else {
            throw InputError("\(directory.path) is a file; a task is a directory holding task.md and tests/.")
        }
        let taskFile = directory.appendingPathComponent("task.md")
        guard FileManager.default.fileExists(atPath: taskFile.path) else {
            throw InputError("\(directory.path) has no task.md: write the task's description there.")
        }
        let document = try FrontMatter.split(try Self.readText(taskFile), file: taskFile.path)
        let settings = try TaskSettings(frontMatter: document.frontMatter, file: taskFile.path)
        let description = document.body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !description.isEmpty else {
            throw InputError("\(taskFile.path) has no description below its front matter.")
        }
        let testsDirectory = directory.appendingPathComponent("tests")
        guard FileManager.default.fileExists(atPath: testsDirectory.path) else {
            throw InputError("\(directory.path) has no tests/ directory: put the task's test files there.")
        }
        let tests = try readFiles(under: testsDirectory)
        let holdoutDirectory = directory.appendingPathComponent("holdout")
        let holdout =
            FileManager.default.fileExists(atPath: holdoutDirectory.path)
            ? try readFiles(under: holdoutDirectory) : []
        let starterDirectory = directory.appendingPathComponent("starter")
        let starter =
            FileManager.default.fileExists(atPath: starterDirectory.path)
            ? try readFiles(under: starterDirectory) : []
        var task = try makeTask(
            description: description, tests: tests, starterFiles: starter, settings: settings,
            origin: testsDirectory.path, settingsOrigin: taskFile.path)
        task.holdoutTests = holdout
        return task
    }

    /// A task from a description and test files given one by one; each test keeps its file name.
    /// - Throws: ``InputError`` for an unreadable file, two tests with the same name, or bad settings.
    public func task(
        description: String, testFiles: [URL], settings: TaskSettings = TaskSettings()
    ) throws -> CodingTask {
        let text = description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw InputError("The description is empty: say what the code must do.") }
        let tests = try Self.readFiles(testFiles)
        return try makeTask(
            description: text, tests: tests, starterFiles: [], settings: settings, origin: "--tests",
            settingsOrigin: "--language")
    }

    /// The task from its parts; `origin` names where the tests came from, `settingsOrigin` where the settings did
    /// (task.md's front matter, or the flags).
    private func makeTask(
        description: String, tests: [CodeFile], starterFiles: [CodeFile], settings: TaskSettings, origin: String,
        settingsOrigin: String
    ) throws -> CodingTask {
        guard let fallback = languages.all.first else { throw InputError("No language is known to load a task.") }
        let rules =
            try settings.language.map { try languages.require($0, origin: settingsOrigin) }
            ?? languages.require(languages.language(of: tests) ?? fallback.language, origin: origin)
        let language = rules.language
        guard !tests.isEmpty else { throw InputError("No test files in \(origin): a task needs at least one test.") }
        if !tests.contains(where: { rules.isSource($0.path) }) {
            throw InputError("No .\(rules.fileExtensions[0]) test file in \(origin) for a \(language) task.")
        }
        let solution = try settings.solutionPath(for: rules)
        if tests.contains(where: { $0.path == solution }) {
            throw InputError("The solution file \(solution) has the same name as a test file; rename one of them.")
        }
        return CodingTask(
            description: description, tests: tests, language: language, solutionPath: solution,
            starterFiles: starterFiles, maxIterations: settings.maxIterations, timeoutSeconds: settings.timeoutSeconds,
            environment: settings.environment, languageMode: settings.languageMode)
    }

    /// Reads a UTF-8 text file, or throws an ``InputError`` that names it.
    public static func readText(_ url: URL) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw InputError("\(url.path) does not exist.")
        }
        guard !isDirectory.boolValue else { throw InputError("\(url.path) is a directory, not a file.") }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InputError("\(url.path) cannot be read (check its permissions).")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError("\(url.path) is not UTF-8 text.")
        }
        return text
    }

    /// A file of a task's folder: text, or for a data file that is not UTF-8 (not a source file), its bytes.
    func readFile(_ url: URL, as path: String) throws -> CodeFile {
        if languages.sourceExtensions.union(["md", "txt"]).contains(url.pathExtension.lowercased()) {
            return CodeFile(path: path, content: try Self.readText(url))
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InputError("\(url.path) cannot be read (check its permissions).")
        }
        if let text = String(data: data, encoding: .utf8) { return CodeFile(path: path, content: text) }
        return CodeFile(path: path, data: data)
    }

    /// Files given one by one, each under its own file name.
    public static func readFiles(_ urls: [URL]) throws -> [CodeFile] {
        var files: [CodeFile] = []
        for url in urls {
            let name = url.lastPathComponent
            if files.contains(where: { $0.path == name }) {
                throw InputError("Two test files are named \(name); test files must have distinct names.")
            }
            files.append(CodeFile(path: name, content: try readText(url)))
        }
        return files
    }

    /// Every regular file below `directory`, by path relative to it, skipping hidden files and caches.
    public func readFiles(under directory: URL) throws -> [CodeFile] {
        let root = directory.resolvingSymlinksInPath().standardizedFileURL
        guard
            let enumerator = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { throw InputError("\(directory.path) cannot be listed.") }
        var files: [CodeFile] = []
        for case let url as URL in enumerator {
            if url.lastPathComponent == "__pycache__" || url.lastPathComponent == ".build" {
                enumerator.skipDescendants()
                continue
            }
            if url.pathExtension == "pyc" { continue }
            // A link is read as the file it names, under its own path, when that file is inside the folder.
            let target = url.resolvingSymlinksInPath().standardizedFileURL
            guard (try? target.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            guard target.path.hasPrefix(root.path + "/") else {
                throw InputError(
                    "\(url.path) is a link to \(target.path), outside \(directory.path); copy the file in instead.")
            }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(root.path + "/") else { throw InputError("\(url.path) is outside \(directory.path).") }
            files.append(try readFile(url, as: String(path.dropFirst(root.path.count + 1))))
        }
        return files.sorted { $0.path < $1.path }
    }
}
