import AutoCoder
import Foundation

/// JavaScript: node's own test runner (`node:test`, `node --test`) with its JUnit reporter.
public struct JavaScriptToolchain: Toolchain {
    public static let name: Language = "javascript"

    public init() {}

    public var language: Language { Self.name }
    public var displayName: String { "JavaScript" }
    public var fileExtensions: [String] { ["js", "mjs", "cjs"] }
    public var fenceTags: [String] { ["javascript", "js", "node"] }
    public var inlineProgramName: String { "main.js" }

    public var environmentFacts: String? {
        "The code runs on Node 20 and may use its built-in modules only (no npm packages)."
    }

    public func solutionPath(for settings: TaskSettings) throws -> String {
        try settings.relativeSolution(default: "solution.js", fileExtension: "js")
    }

    /// Functions, classes, and `const`/`let`/`var` bindings (at the top level unless `includingLocals`), and
    /// `exports.name`.
    public func definedNames(in code: String, includingLocals: Bool) -> Set<String> {
        names(
            matching: #"(?m)(?:^|\s)(?:async\s+)?function\*?\s+([A-Za-z_$][\w$]*)|(?:^|\s)class\s+([A-Za-z_$][\w$]*)|^"#
                + (includingLocals ? #"\s*"# : "")
                + #"(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)|exports\.([A-Za-z_$][\w$]*)\s*="#,
            in: code)
    }

    /// `require('./x')` and `import … from './x'`: `x.js` (or `x/index.js`) beside the importing file.
    public func importedFiles(by code: String, at path: String, among files: Set<String>) -> [String] {
        var found: [String] = []
        for match in code.matches(of: /(?:require\(\s*|from\s+)['"](\.{1,2}\/[^'"]+)['"]/) {
            if let file = Self.file(importedAs: String(match.1), by: path, among: files)?.path, !found.contains(file) {
                found.append(file)
            }
        }
        return found
    }

    /// The file of `files` that the relative `specifier` (`./x`) names from the file at `path`, as Node and Babel
    /// resolve it (`x` itself, else `x.js`, else `x/index.js`), and what was added to the specifier to find it.
    static func file(
        importedAs specifier: String, by path: String, among files: Set<String>
    ) -> (path: String, suffix: String)? {
        let directory = URL(fileURLWithPath: "/" + path).deletingLastPathComponent()
        let joined = String(directory.appendingPathComponent(specifier).standardizedFileURL.path.dropFirst())
        return ["", ".js", "/index.js"].lazy.map { (joined + $0, $0) }.first { files.contains($0.0) }
    }

    public func open(_ settings: ToolchainSettings) -> any ToolchainRuntime {
        PlainRuntime(
            NodeTestExecutor(node: settings.interpreters[language], settings: ExecutorSettings(settings)))
    }

    /// No `node` (exit 3).
    public func preflight(_ task: CodingTask, settings: ToolchainSettings) async -> ToolchainProblem? {
        do {
            _ = try NodeTestExecutor(node: settings.interpreters[language]).locateNode()
            return nil
        } catch {
            return .unavailable(error.localizedDescription)
        }
    }

    /// The `node` in use and its version.
    public func diagnose(_ settings: ToolchainSettings) async -> ToolchainDiagnosis {
        let executor = NodeTestExecutor(node: settings.interpreters[language])
        guard let node = try? executor.locateNode() else {
            return ToolchainDiagnosis(
                language: language, lines: ["JavaScript: node not found"], fields: [("node", .text(nil))],
                problem: "No node was found on PATH.")
        }
        let version = await executor.version(of: node)
        return ToolchainDiagnosis(
            language: language, lines: ["JavaScript: \(node)\(version.map { " (\($0))" } ?? "")"],
            fields: [("node", .text(node))])
    }

    /// A project with a `package.json`: node's test runner over it.
    public func recognise(projectAt root: URL, settings: ToolchainSettings) async -> ProjectFacts? {
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("package.json").path),
            let node = try? NodeTestExecutor(node: settings.interpreters[language]).locateNode()
        else { return nil }
        return ProjectFacts(testCommand: "\(node) --test", testPatterns: Self.testPatterns)
    }

    /// node's default test file names.
    public static let testPatterns = ["*.test.js", "*.test.mjs", "*.spec.js", "test_*.js", "*_test.js", "test/**"]

    /// `node --test …` with the JUnit reporter beside the readable one.
    public func reportingCommand(_ command: String, report: String) -> String? {
        let words = command.split(separator: " ").map(String.init)
        guard words.count >= 2, (words[0] as NSString).lastPathComponent == "node", words[1] == "--test",
            !command.contains("&&"), !command.contains(";"), !command.contains("|")
        else { return nil }
        return ([words[0], "--test"] + NodeTestExecutor.reporterArguments(report: report) + words.dropFirst(2))
            .joined(separator: " ")
    }

    public func commandRuntime(_ settings: ToolchainSettings) async -> CommandRuntime {
        guard let node = try? NodeTestExecutor(node: settings.interpreters[language]).locateNode() else {
            return CommandRuntime()
        }
        return CommandRuntime(path: [URL(fileURLWithPath: node).deletingLastPathComponent().path])
    }
}

extension JavaScriptToolchain {
    /// `xtest`, `xit`, `xdescribe` and `.skip` made plain `test`, `it`, `describe`.
    public func enablingSkippedTests(in file: CodeFile) -> CodeFile {
        guard isSource(file.path), !file.isBinary else { return file }
        return CodeFile(path: file.path, content: Self.enablingSkippedTests(in: file.content))
    }

    /// Jest-style code with `xtest`, `xit`, `xdescribe` and `.skip` made plain (TypeScript's tests too).
    static func enablingSkippedTests(in code: String) -> String {
        code.replacing(/\bx(test|it|describe)\(/) { "\($0.1)(" }.replacing(/\b(test|it|describe)\.skip\(/) {
            "\($0.1)("
        }
    }
}
