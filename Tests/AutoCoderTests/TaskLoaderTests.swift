import AutoCoder
import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

@Suite struct TaskLoaderTests {
    let loader = TaskLoader(languages: Toolchains.languages)

    func expectInputError(_ fragment: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected an InputError mentioning '\(fragment)'")
        } catch let error as InputError {
            #expect(error.message.contains(fragment), "message: \(error.message)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func loadsADirectoryWithFrontMatter() throws {
        let dir = try TemporaryDirectory()
        try dir.write(
            "task.md", "---\nsolution: roman\nmax_iterations: 3\ntimeout: 2.5\nlanguage: python\n---\nWrite roman.\n")
        try dir.write("tests/test_roman.py", "from roman import f\n")
        try dir.write("tests/data/cases.txt", "1 I\n")
        try dir.write("tests/__pycache__/x.pyc", "junk")
        try dir.write("starter/roman.py", "def f(): ...\n")
        let task = try loader.load(directory: dir.url)
        #expect(task.description == "Write roman.")
        #expect(task.solutionPath == "roman.py")
        #expect(task.maxIterations == 3)
        #expect(task.timeoutSeconds == 2.5)
        #expect(task.language == .python)
        #expect(task.tests.map(\.path) == ["data/cases.txt", "test_roman.py"])
        #expect(task.starterFiles == [CodeFile(path: "roman.py", content: "def f(): ...\n")])
    }

    @Test func withoutFrontMatterTheDefaultsApply() throws {
        let dir = try TemporaryDirectory()
        try dir.write("task.md", "# Add\n\nWrite add.\n")
        try dir.write("tests/test_add.py", "from solution import add\n")
        let task = try loader.load(directory: dir.url)
        #expect(task.description == "# Add\n\nWrite add.")
        #expect(task.solutionPath == "solution.py")
        #expect(task.maxIterations == nil)
    }

    @Test func missingPartsAreNamed() throws {
        expectInputError("does not exist") { _ = try loader.load(directory: URL(fileURLWithPath: "/nonexistent/task")) }
        let dir = try TemporaryDirectory()
        expectInputError("no task.md") { _ = try loader.load(directory: dir.url) }
        try dir.write("task.md", "Write add.")
        expectInputError("no tests/ directory") { _ = try loader.load(directory: dir.url) }
        try FileManager.default.createDirectory(
            at: dir.url.appendingPathComponent("tests"), withIntermediateDirectories: true)
        expectInputError("No test files") { _ = try loader.load(directory: dir.url) }
        try dir.write("tests/README.txt", "no python here")
        expectInputError("No .py test file") { _ = try loader.load(directory: dir.url) }
        try dir.write("task.md", "---\nlanguage: python\n---\n\n")
        try dir.write("tests/test_a.py", "")
        expectInputError("no description") { _ = try loader.load(directory: dir.url) }
        let file = try dir.write("plain.txt", "x")
        expectInputError("is a file") { _ = try loader.load(directory: file) }
    }

    @Test(arguments: [
        ("---\nmax_iterations: zero\n---\nx", "max_iterations must be a whole number"),
        ("---\nmax_iterations: -2\n---\nx", "max_iterations must be 1 to 1000 (it is -2)"),
        ("---\nmax_iterations: 1001\n---\nx", "max_iterations must be 1 to 1000 (it is 1001)"),
        ("---\ntimeout: -1\n---\nx", "timeout must be a number"),
        // Named by task.md, where it is wrong, not by tests/.
        ("---\nlanguage: cobol\n---\nx", "task.md: language must be one of"),
        ("---\nmax_iteration: 3\n---\nx", "unknown front matter key 'max_iteration'"),
        ("---\nsolution: [a, b]\n---\nx", "solution must be a file name"),
        ("---\nsolution: ../escape.py\n---\nx", "must be a relative file name"),
        ("---\n- a list\n---\nx", "must be a map"),
        ("---\nkey: [unclosed\n---\nx", "not valid YAML"),
        ("---\nlanguage: python\nno closing line\n", "never closes"),
    ])
    func invalidFrontMatter(_ text: String, _ fragment: String) throws {
        let dir = try TemporaryDirectory()
        try dir.write("task.md", text)
        try dir.write("tests/test_a.py", "")
        expectInputError(fragment) { _ = try loader.load(directory: dir.url) }
    }

    @Test func linksInTestsAreReadInsideAndRefusedOutside() throws {
        let dir = try TemporaryDirectory()
        try dir.write("task.md", "Write add.")
        try dir.write("tests/test_a.py", "def test_a():\n    pass\n")
        let tests = dir.url.appendingPathComponent("tests")
        try FileManager.default.createSymbolicLink(
            atPath: tests.appendingPathComponent("test_b.py").path, withDestinationPath: "test_a.py")
        let task = try loader.load(directory: dir.url)
        #expect(task.tests.map(\.path) == ["test_a.py", "test_b.py"])
        #expect(task.tests.allSatisfy { $0.content == "def test_a():\n    pass\n" })

        let outside = try dir.write("elsewhere/test_c.py", "def test_c():\n    pass\n")
        try FileManager.default.createSymbolicLink(
            atPath: tests.appendingPathComponent("test_c.py").path, withDestinationPath: outside.path)
        expectInputError("is a link to") { _ = try loader.load(directory: dir.url) }
    }

    @Test func aSolutionNamedLikeATestIsRejected() throws {
        let dir = try TemporaryDirectory()
        try dir.write("task.md", "---\nsolution: test_a.py\n---\nx")
        try dir.write("tests/test_a.py", "")
        expectInputError("same name as a test file") { _ = try loader.load(directory: dir.url) }
    }

    @Test func taskFromFlags() throws {
        let dir = try TemporaryDirectory()
        let first = try dir.write("a/test_x.py", "def test_x(): pass\n")
        let task = try loader.task(
            description: "  do x  ", testFiles: [first], settings: TaskSettings(solution: "x", maxIterations: 2))
        #expect(task.description == "do x")
        #expect(task.tests.map(\.path) == ["test_x.py"])
        #expect(task.solutionPath == "x.py")
        #expect(task.maxIterations == 2)

        let twin = try dir.write("b/test_x.py", "")
        expectInputError("Two test files are named test_x.py") {
            _ = try loader.task(description: "d", testFiles: [first, twin])
        }
        expectInputError("does not exist") {
            _ = try loader.task(description: "d", testFiles: [dir.url.appendingPathComponent("nope.py")])
        }
        expectInputError("description is empty") { _ = try loader.task(description: " ", testFiles: [first]) }
        let binary = dir.url.appendingPathComponent("test_bin.py")
        try Data([0xff, 0xfe, 0x00]).write(to: binary)
        expectInputError("not UTF-8") { _ = try loader.task(description: "d", testFiles: [binary]) }
    }

    @Test func frontMatterPassesVariablesToTheTestsAndChoosesTheSwiftMode() throws {
        let dir = try TemporaryDirectory()
        try dir.write(
            "task.md",
            "---\nlanguage: swift\nswift_language_mode: 5\nenv:\n  RUN_SLOW: 1\n  MODE: fast\n---\nWrite it.\n")
        try dir.write("tests/SolutionTests.swift", "import Testing\n")
        let task = try loader.load(directory: dir.url)
        #expect(task.environment == ["RUN_SLOW": "1", "MODE": "fast"])
        #expect(task.languageMode == "5")
    }

    @Test(arguments: ["OPENAI_API_KEY", "GITHUB_TOKEN", "DB_PASSWORD", "my_secret_thing"])
    func variablesThatLookSecretAreRefused(_ name: String) throws {
        let dir = try TemporaryDirectory()
        try dir.write("task.md", "---\nenv:\n  \(name): x\n---\nWrite it.\n")
        try dir.write("tests/test_it.py", "def test_it(): pass\n")
        expectInputError("\(name) looks like a secret") { _ = try loader.load(directory: dir.url) }
        #expect(throws: InputError.self) { try TestEnvironment.parse("\(name)=x") }
    }

    @Test func badVariablesAndModesAreNamed() throws {
        let dir = try TemporaryDirectory()
        try dir.write("tests/test_it.py", "def test_it(): pass\n")
        try dir.write("task.md", "---\nswift_language_mode: 7\n---\nWrite it.\n")
        expectInputError("swift_language_mode must be 5 or 6") { _ = try loader.load(directory: dir.url) }
        try dir.write("task.md", "---\nenv:\n  HOME: /x\n---\nWrite it.\n")
        expectInputError("HOME is set by autocoder") { _ = try loader.load(directory: dir.url) }
        try dir.write("task.md", "---\nenv: [A]\n---\nWrite it.\n")
        expectInputError("env must be a map") { _ = try loader.load(directory: dir.url) }
        #expect(throws: InputError.self) { try TestEnvironment.parse("NOVALUE") }
        #expect(throws: InputError.self) { try TestEnvironment.parse("1BAD=x") }
        #expect(try TestEnvironment.parse("A_B=x=y") == ("A_B", "x=y"))
    }

    @Test func frontMatterWithCRLFLineEndsIsRead() throws {
        let dir = try TemporaryDirectory()
        try dir.write("task.md", "\u{FEFF}---\r\nsolution: roman.py\r\nmax_iterations: 2\r\n---\r\nWrite to_roman.\r\n")
        try dir.write("tests/test_roman.py", "from roman import to_roman\n")
        let task = try loader.load(directory: dir.url)
        #expect(task.solutionPath == "roman.py")
        #expect(task.maxIterations == 2)
        #expect(task.description == "Write to_roman.")

        try dir.write("task.md", "\n---\nsolution: roman.py\n---\nWrite it.\n")
        expectInputError("front matter must start on the first line") { _ = try loader.load(directory: dir.url) }
    }
}
