import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoder

@Suite struct EditParserTests {
    @Test func searchReplaceBlocksInAndOutOfFencesWithTheirPaths() {
        let reply = """
            Here is the fix.

            `pkg/stats.py`
            ```python
            <<<<<<< SEARCH
                return total / len(xs) + 1
            =======
                return total / len(xs)
            >>>>>>> REPLACE
            ```

            **pkg/new.py**
            <<<<<<< SEARCH
            =======
            VALUE = 1
            >>>>>>> REPLACE
            """
        #expect(
            EditParser.edits(in: reply) == [
                .replace(
                    path: "pkg/stats.py", search: "    return total / len(xs) + 1\n",
                    replace: "    return total / len(xs)\n"),
                .replace(path: "pkg/new.py", search: "", replace: "VALUE = 1\n"),
            ])
    }

    @Test func aFencedFileUnderItsPathIsAWholeFile() {
        let reply = "pkg/util.py\n```python\ndef f():\n    return 2\n```\n"
        #expect(EditParser.edits(in: reply) == [.whole(path: "pkg/util.py", content: "def f():\n    return 2\n")])
    }

    @Test func proseAloneEditsNothing() {
        #expect(EditParser.edits(in: "I would change the mean function.").isEmpty)
    }
}

@Suite struct EditApplierTests {
    let base = ["m.py": "def mean(xs):\n    total = sum(xs)\n    return total / len(xs) + 1\n"]

    @Test func anExactMatchIsReplaced() throws {
        let files = try EditApplier.apply(
            [
                .replace(
                    path: "m.py", search: "    return total / len(xs) + 1\n", replace: "    return total / len(xs)\n")
            ],
            to: base
        ).get()
        #expect(
            files == [
                CodeFile(path: "m.py", content: "def mean(xs):\n    total = sum(xs)\n    return total / len(xs)\n")
            ])
    }

    @Test func indentationAndTrailingSpacesAreForgivenAndTheReplacementTakesTheFilesIndentation() throws {
        let files = try EditApplier.apply(
            [.replace(path: "m.py", search: "return total / len(xs) + 1   \n", replace: "return total / len(xs)\n")],
            to: base
        ).get()
        #expect(files.first?.content == "def mean(xs):\n    total = sum(xs)\n    return total / len(xs)\n")
    }

    @Test func aMissingSearchIsNotGuessedAtAndShowsTheClosestLines() {
        guard
            case .failure(let failure) = EditApplier.apply(
                [.replace(path: "m.py", search: "    total = sum(xs)\n    return total / count\n", replace: "x\n")],
                to: base)
        else {
            Issue.record("a missing SEARCH applied")
            return
        }
        #expect(failure.message.contains("are not in the file"))
        #expect(failure.closest?.contains("total = sum(xs)") == true)
    }

    @Test func anAmbiguousSearchIsRefused() {
        let twice = ["d.py": "x = 1\ny = 2\nx = 1\n"]
        guard
            case .failure(let failure) = EditApplier.apply(
                [.replace(path: "d.py", search: "x = 1\n", replace: "x = 3\n")], to: twice)
        else {
            Issue.record("an ambiguous SEARCH applied")
            return
        }
        #expect(failure.reason.contains("2 times"))
    }

    @Test func anEmptySearchCreatesAFileButNeverOverwritesOne() throws {
        let created = try EditApplier.apply([.replace(path: "n.py", search: "", replace: "A = 1\n")], to: base).get()
        #expect(created == [CodeFile(path: "n.py", content: "A = 1\n")])
        #expect(throws: EditFailure.self) {
            try EditApplier.apply([.replace(path: "m.py", search: "", replace: "A = 1\n")], to: base).get()
        }
        #expect(throws: EditFailure.self) {
            try EditApplier.apply([.whole(path: "../escape.py", content: "")], to: base).get()
        }
    }

    @Test func editsInARepositoryTaskComeFromTheReplyAndProtectedTestsAreRefused() {
        var task = CodingTask(description: "fix", tests: [], solutionPath: "")
        task.repository = RepositoryContext(
            root: "/r", testCommand: "pytest", protectedPatterns: ["tests/**", "test_*.py"],
            files: [CodeFile(path: "m.py", content: base["m.py"]!)])
        let parser = ReplyParser(task: task, languages: .none)
        let good = parser.attempt(
            from:
                "m.py\n<<<<<<< SEARCH\n    return total / len(xs) + 1\n=======\n    return total / len(xs)\n>>>>>>> REPLACE\n"
        )
        #expect(good.problem == nil && good.files.first?.content.contains("len(xs)\n") == true)
        #expect(parser.attempt(from: "Nothing to change.").problem?.contains("edits nothing") == true)
        let touching = Attempt(files: [CodeFile(path: "tests/test_m.py", content: "")])
        #expect(AttemptCheck.problem(with: touching, for: task)?.contains("test file") == true)
    }
}

@Suite struct GlobTests {
    @Test func patterns() {
        #expect(Glob.matches("test_*.py", "pkg/tests/test_a.py"))
        #expect(!Glob.matches("test_*.py", "pkg/a_test.txt"))
        #expect(Glob.matches("tests/**", "tests/unit/test_a.py"))
        #expect(!Glob.matches("tests/**", "src/tests.py"))
        #expect(Glob.matches("**/conftest.py", "a/b/conftest.py"))
        #expect(Glob.matches("Tests/**", "Tests/AppTests/AppTests.swift"))
        #expect(Glob.matches("src/?.py", "src/a.py") && !Glob.matches("src/?.py", "src/ab.py"))
    }
}

/// Edits of a link in a repository: the file it links to inside the repository is edited; one outside is refused.
@Suite struct LinkedEditTests {
    let edit = { (path: String) in
        "`\(path)`\n<<<<<<< SEARCH\n    return a - b\n=======\n    return a + b\n>>>>>>> REPLACE\n"
    }

    func parser(root: String) -> ReplyParser {
        var parser = ReplyParser(solutionPath: "calc.py", rules: nil)
        parser.repositoryRoot = root
        return parser
    }

    @Test func anEditOfALinkInsideTheRepositoryEditsItsTarget() throws {
        let dir = try TemporaryDirectory()
        try dir.write("pkg/calc.py", "def add(a, b):\n    return a - b\n")
        try FileManager.default.createSymbolicLink(
            atPath: dir.url.appendingPathComponent("calc_link.py").path, withDestinationPath: "pkg/calc.py")
        let attempt = parser(root: dir.url.path).editedAttempt(edit("calc_link.py"), base: [:], usage: nil)
        #expect(attempt.problem == nil, "\(attempt.problem ?? "")")
        #expect(attempt.files.map(\.path) == ["pkg/calc.py"])
        #expect(attempt.files.first?.content == "def add(a, b):\n    return a + b\n")
    }

    @Test func anEditOfALinkOutsideTheRepositoryIsRefusedInOneLine() throws {
        let dir = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        try outside.write("secret.py", "def add(a, b):\n    return a - b\n")
        try FileManager.default.createSymbolicLink(
            atPath: dir.url.appendingPathComponent("out.py").path,
            withDestinationPath: outside.url.appendingPathComponent("secret.py").path)
        let attempt = parser(root: dir.url.path).editedAttempt(edit("out.py"), base: [:], usage: nil)
        #expect(attempt.files.isEmpty)
        #expect(attempt.problem?.contains("out.py is a link to a file outside the repository") == true)
        #expect(attempt.problem?.contains("\n") == false)
    }
}
