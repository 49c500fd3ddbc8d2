import AutoCoder
import AutoCoderExecution
import Foundation

/// Exercism's practice exercises as bench problems: one track's checkout (`exercises/practice/<slug>/`), or Aider's
/// polyglot benchmark, which holds six tracks (`<track>/exercises/practice/<slug>/`).
///
/// Each exercise's `.meta/config.json` names its files. The task is the exercise's instructions with its solution
/// files as the starter; its tests are the test and editor files (with the tests the track marks skipped turned on,
/// as Aider's harness does) and any data files beside them. Exercism's own build tooling (`package.json`,
/// `build.gradle`, `CMakeLists.txt`, `Package.swift`, the bundled Catch2) is left out: each toolchain brings its own runner. The
/// canonical oracle answers with the example solution, the broken one with the stubs as they are.
public enum Exercism {
    /// The exercises of the tracks under `root` whose language is in `languages` (every track with a toolchain when
    /// `nil`), track by track in name order; and the tracks left out because no toolchain runs them. The prompts
    /// leave the tests' code out unless `showingTests`, as Aider's protocol does.
    /// - Throws: ``InputError`` when `root` holds no track.
    /// An exercise whose `.meta/config.json` cannot be read (four of Exercism's TypeScript track lack a comma) is
    /// told to `skipping` and left out, not taken for a broken data set.
    public static func loadPolyglot(
        root: URL, languages: Set<Language>? = nil, showingTests: Bool = false,
        skipping: (String) -> Void = { _ in }
    ) throws -> (
        problems: [BenchProblem], leftOut: [String]
    ) {
        let tracks = try entries(of: root).filter { isDirectory(practice(of: root.appendingPathComponent($0))) }
        guard !tracks.isEmpty else {
            throw InputError(
                "\(root.path) holds no track (no <track>/exercises/practice/ folder); clone "
                    + "https://github.com/Aider-AI/polyglot-benchmark and give its path.")
        }
        if let unknown = languages?.first(where: { !tracks.contains($0.rawValue) }) {
            throw InputError("\(root.path) has no '\(unknown)' track; it has \(tracks.joined(separator: ", ")).")
        }
        var problems: [BenchProblem] = []
        var leftOut: [String] = []
        for track in tracks where languages?.contains(Language(rawValue: track)) ?? true {
            guard let toolchain = Toolchains.toolchain(for: Language(rawValue: track)) else {
                leftOut.append(track)
                continue
            }
            problems += try load(
                practice: practice(of: root.appendingPathComponent(track)), track: track, toolchain: toolchain,
                showingTests: showingTests, skipping: skipping)
        }
        return (problems, leftOut)
    }

    /// The exercises of the track checked out at `root`; its language is `language`, else the track's own slug
    /// (its `config.json`), else the folder's name.
    /// - Throws: ``InputError`` for a folder that is not a track, or a language without a toolchain.
    public static func loadTrack(
        root: URL, language: Language? = nil, showingTests: Bool = false, skipping: (String) -> Void = { _ in }
    ) throws
        -> [BenchProblem]
    {
        guard isDirectory(practice(of: root)) else {
            throw InputError("\(root.path) is not an Exercism track checkout: it has no exercises/practice/ folder.")
        }
        let track = language?.rawValue ?? trackSlug(root) ?? root.lastPathComponent
        return try load(
            practice: practice(of: root), track: track, toolchain: Toolchains.require(Language(rawValue: track)),
            showingTests: showingTests, skipping: skipping)
    }

    static func load(
        practice: URL, track: String, toolchain: any Toolchain, showingTests: Bool, skipping: (String) -> Void
    ) throws
        -> [BenchProblem]
    {
        var problems: [BenchProblem] = []
        for slug in try entries(of: practice) {
            let folder = practice.appendingPathComponent(slug)
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(".meta/config.json").path)
            else { continue }
            do {
                var problem = try exercise(at: folder, id: "\(track)/\(slug)", toolchain: toolchain)
                problem.task.testsHidden = !showingTests
                problems.append(problem)
            } catch let unreadable as UnreadableConfig {
                skipping(unreadable.message)
            }
        }
        return problems
    }

    /// An exercise's `.meta/config.json` that is not JSON of the expected shape.
    struct UnreadableConfig: Error {
        var message: String
    }

    /// What an exercise's `.meta/config.json` says of its files.
    struct Config: Decodable {
        struct Files: Decodable {
            var solution: [String]
            var test: [String]
            var example: [String]?
            var editor: [String]?
        }
        var files: Files
    }

    /// One exercise as a problem.
    static func exercise(at folder: URL, id: String, toolchain: any Toolchain) throws -> BenchProblem {
        let config: Config
        do {
            config = try JSONDecoder().decode(
                Config.self, from: Data(contentsOf: folder.appendingPathComponent(".meta/config.json")))
        } catch let error as DecodingError {
            throw UnreadableConfig(message: "\(id): its .meta/config.json cannot be read (\(error.reason)); left out.")
        } catch {
            throw InputError("\(id): its .meta/config.json cannot be read: \(error.localizedDescription)")
        }
        let files = config.files
        guard !files.solution.isEmpty, !files.test.isEmpty else {
            throw InputError("\(id): its .meta/config.json names no solution or no test file.")
        }
        let starter = try files.solution.map { try read($0, in: folder, id: id) }
        let named = Set(files.solution + files.test + (files.editor ?? []))
        let data = try supportFiles(in: folder).filter { !named.contains($0) }
        let tests =
            try files.test.map { toolchain.enablingSkippedTests(in: try read($0, in: folder, id: id)) }
            + (files.editor ?? []).map { try read($0, in: folder, id: id) }
            + data.map { try read($0, in: folder, id: id) }
        // A track may keep the example's version of a solution file beside it: `.meta/Cargo-example.toml` is the
        // manifest the example solution needs.
        let exampleVersions = files.solution.compactMap { path -> CodeFile? in
            let name = (path as NSString).lastPathComponent as NSString
            let version = ".meta/\(name.deletingPathExtension)-example.\(name.pathExtension)"
            return (try? read(version, in: folder, id: id)).map { $0.moved(to: path) }
        }
        let examples = try (files.example ?? []).map { try read($0, in: folder, id: id) }
        let solutionPath = files.solution.first { toolchain.isSource($0) } ?? files.solution[0]
        var task = CodingTask(
            description: description(of: folder, files: files.solution), tests: tests, language: toolchain.language,
            solutionPath: solutionPath, starterFiles: starter)
        task.maxIterations = nil
        return BenchProblem(
            id: id, task: task,
            reference: placed(examples, onto: starter, given: Set(tests.map(\.path))) + exampleVersions,
            broken: starter)
    }

    /// The instructions (introduction, instructions, the track's appendix) and what to change.
    static func description(of folder: URL, files: [String]) -> String {
        let docs = ["introduction.md", "instructions.md", "instructions.append.md"].compactMap {
            try? String(contentsOf: folder.appendingPathComponent(".docs/" + $0), encoding: .utf8)
        }
        return docs.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: "\n\n")
            + "\n\nChange the supplied files (\(files.joined(separator: ", "))) so that the tests pass. Keep the names "
            + "of the existing functions, classes and types: the tests use them. Use the standard library only; "
            + "nothing can be installed."
    }

    /// The example solution's files under the solution's paths: by file name; else by extension when just one
    /// example and one solution file are left with it; else beside the first solution file. An example of a file the
    /// exercise already gives (an editor file among `given`) is left out.
    static func placed(_ examples: [CodeFile], onto solution: [CodeFile], given: Set<String>) -> [CodeFile] {
        func name(_ path: String) -> String { (path as NSString).lastPathComponent }
        func kind(_ path: String) -> String { (path as NSString).pathExtension }
        var targets: [String?] = examples.map { example in solution.map(\.path).first { name($0) == name(example.path) }
        }
        var unused = solution.map(\.path).filter { !targets.contains($0) }
        for (index, example) in examples.enumerated() where targets[index] == nil {
            let left = examples.indices.filter { targets[$0] == nil && kind(examples[$0].path) == kind(example.path) }
            let open = unused.filter { kind($0) == kind(example.path) }
            if left.count == 1, open.count == 1 {
                targets[index] = open[0]
                unused.removeAll { $0 == open[0] }
            }
        }
        let folder = ((solution.first?.path ?? "") as NSString).deletingLastPathComponent
        return examples.enumerated().compactMap { index, example in
            let target = targets[index] ?? (folder.isEmpty ? name(example.path) : folder + "/" + name(example.path))
            guard !given.contains(target) else { return nil }
            return example.moved(to: target)
        }
    }

    /// Exercism's tooling, which the toolchains replace with their own runners.
    static let tooling: Set<String> = [
        "package.json", "package-lock.json", "babel.config.js", "LICENSE", "build.gradle", "gradlew", "gradlew.bat",
        "gradle", "CMakeLists.txt", "test/catch.hpp", "test/tests-main.cpp", "Cargo.lock", "settings.gradle",
        "Package.swift", "Package.resolved", "babel.config.cjs", "jest.config.cjs", "eslint.config.mjs",
        "test-runner.mjs", "tsconfig.json", "yarn.lock",
    ]

    /// The exercise's other files (data the tests read), relative to it: not hidden, not tooling.
    static func supportFiles(in folder: URL) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var found: [String] = []
        while let path = walker.nextObject() as? String {
            if path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) || tooling.contains(path) {
                if isDirectory(folder.appendingPathComponent(path)) { walker.skipDescendants() }
                continue
            }
            if !isDirectory(folder.appendingPathComponent(path)) { found.append(path) }
        }
        return found.sorted()
    }

    static func read(_ path: String, in folder: URL, id: String) throws -> CodeFile {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(path).path) else {
            throw InputError("\(id): \(path), which its .meta/config.json names, cannot be read.")
        }
        return String(data: data, encoding: .utf8).map { CodeFile(path: path, content: $0) }
            ?? CodeFile(path: path, data: data)
    }

    static func practice(of track: URL) -> URL {
        track.appendingPathComponent("exercises/practice")
    }

    static func trackSlug(_ root: URL) -> String? {
        struct Track: Decodable { var slug: String }
        return (try? Data(contentsOf: root.appendingPathComponent("config.json"))).flatMap {
            try? JSONDecoder().decode(Track.self, from: $0).slug
        }
    }

    static func entries(of folder: URL) throws -> [String] {
        guard isDirectory(folder) else { throw InputError("\(folder.path) does not exist or is not a directory.") }
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
    }

    static func isDirectory(_ url: URL) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &directory) && directory.boolValue
    }
}

extension CodeFile {
    /// The same file under another path.
    func moved(to path: String) -> CodeFile {
        isBinary ? CodeFile(path: path, data: bytes) : CodeFile(path: path, content: content)
    }
}
