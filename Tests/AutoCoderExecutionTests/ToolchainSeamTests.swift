import AutoCoder
import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

/// The language seam: every language is its toolchain's folder and one registry line, and nothing else chooses
/// by language.
@Suite struct ToolchainSeamTests {
    @Test func registryNamesAndExtensionsAreUnique() {
        let names = Toolchains.all.map(\.language)
        #expect(Set(names).count == names.count)
        let extensions = Toolchains.all.flatMap(\.fileExtensions)
        #expect(Set(extensions).count == extensions.count)
        for toolchain in Toolchains.all {
            #expect(Toolchains.toolchain(for: toolchain.language)?.language == toolchain.language)
            #expect(
                Toolchains.toolchain(forFile: "x/test_a." + toolchain.fileExtensions[0])?.language == toolchain.language
            )
            #expect(!toolchain.fenceTags.isEmpty)
        }
        #expect(Toolchains.toolchain(for: "cobol") == nil)
        #expect(Toolchains.toolchain(forFile: "notes.txt") == nil)
    }

    @Test func catalogFindsTheLanguageOfTestFiles() {
        let catalog = Toolchains.languages
        #expect(catalog.language(of: [CodeFile(path: "test_a.py", content: "")]) == .python)
        #expect(catalog.language(of: [CodeFile(path: "Tests/AddTests.swift", content: "")]) == .swift)
        #expect(
            catalog.language(of: [CodeFile(path: "a.py", content: ""), CodeFile(path: "b.swift", content: "")]) == nil)
    }

    @Test func anUnknownLanguageIsBadInputThatListsTheKnownOnes() throws {
        let directory = try TemporaryDirectory()
        let task = directory.url
        try "---\nlanguage: cobol\n---\nAdd.\n".write(
            to: task.appendingPathComponent("task.md"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(
            at: task.appendingPathComponent("tests"), withIntermediateDirectories: true)
        try "def test_a(): pass\n".write(
            to: task.appendingPathComponent("tests/test_a.py"), atomically: true, encoding: .utf8)
        #expect {
            try TaskLoader(languages: Toolchains.languages).load(directory: task)
        } throws: { error in
            (error as? InputError)?.message.contains("language must be one of \(Toolchains.languages.names)") == true
        }
    }

    @Test func aReplyIsReadWithItsLanguagesRulesOnly() {
        let reply = "```\nhelper = 1\n```\n```\ndef area(w, h):\n    return w * h\n```\n"
        let tests = "from solution import area\n\ndef test_area():\n    assert area(2, 3) == 6\n"
        let python = ReplyParser(solutionPath: "solution.py", rules: PythonToolchain(), testCode: tests)
        #expect(python.attempt(from: reply).files.first?.content.contains("def area") == true)
        // Without a language's rules, no block is known to define `area`: the first block is taken.
        let plain = ReplyParser(solutionPath: "solution.py", rules: nil, testCode: tests)
        #expect(plain.attempt(from: reply).files.first?.content == "helper = 1\n")
    }

    /// Outside the toolchain folders and the registry, nothing names a toolchain or switches on a language. The
    /// exceptions are listed with their reason.
    @Test func noLanguageIsChosenOutsideItsFolder() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Sources"
        ).standardizedFileURL
        let folders = [
            "/AutoCoderExecution/Python/", "/AutoCoderExecution/Swift/", "/AutoCoderExecution/JavaScript/",
            "/AutoCoderExecution/Rust/", "/AutoCoderExecution/Go/", "/AutoCoderExecution/Java/",
            "/AutoCoderExecution/Cpp/",
            "/AutoCoderExecution/TypeScript/",
            "/AutoCoderExecution/Toolchain/",
        ]
        let exceptions: [String: String] = [
            "HumanEval.swift": "the data set is Python's",
            "Limits.swift": "the contract's --python becomes the toolchains' interpreter there",
            "SandboxBenchmark.swift": "it measures the pytest executor itself",
        ]
        let named = try Regex(
            #"PythonToolchain|SwiftToolchain|JavaScriptToolchain|NodeTestExecutor|RustToolchain|CargoTestExecutor|PytestExecutor|SwiftTestExecutor|GoToolchain|GoTestExecutor|JavaToolchain|JUnitExecutor|CppToolchain|CatchTestExecutor|TypeScriptToolchain|TypeScriptExecutor|case \.python|case \.swift|== \.python|== \.swift|Language\.(python|swift)"#
        )
        var offenders: [String] = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift", !folders.contains(where: file.path.contains),
                exceptions[file.lastPathComponent] == nil
            else { continue }
            for (number, line) in try String(contentsOf: file, encoding: .utf8).split(separator: "\n").enumerated()
            where !line.trimmingCharacters(in: .whitespaces).hasPrefix("///") && line.contains(named) {
                offenders.append("\(file.lastPathComponent):\(number + 1)")
            }
        }
        #expect(offenders.isEmpty, "choose a language through Toolchains, not by name: \(offenders)")
    }
}
