import AutoCoder
import Testing

@Suite struct ReplyParserTests {
    let parser = ReplyParser(solutionPath: "solution.py", language: .python)

    func files(_ reply: String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: parser.attempt(from: reply).files.map { ($0.path, $0.content) })
    }

    @Test func bareCodeIsTheSolution() {
        #expect(
            files("\ndef add(a, b):\n    return a + b\n\n") == ["solution.py": "def add(a, b):\n    return a + b\n"])
    }

    @Test func fencedBlockWithProseAround() {
        let reply = "Sure! Here you go:\n\n```python\ndef add(a, b):\n    return a + b\n```\n\nThis adds numbers."
        #expect(files(reply) == ["solution.py": "def add(a, b):\n    return a + b\n"])
    }

    @Test func fenceWithoutLanguageTag() {
        #expect(files("```\nx = 1\n```") == ["solution.py": "x = 1\n"])
    }

    @Test func tildeFenceAndIndentedFence() {
        #expect(files("~~~py\nx = 1\n~~~") == ["solution.py": "x = 1\n"])
        #expect(files("  ```python\n  def f():\n      return 1\n  ```") == ["solution.py": "def f():\n    return 1\n"])
    }

    @Test func fileNameInTheFenceLine() {
        #expect(files("```python helper.py\nH = 1\n```")["helper.py"] == "H = 1\n")
        #expect(files("```python:helper.py\nH = 1\n```")["helper.py"] == "H = 1\n")
        #expect(files("```python title=\"pkg/helper.py\"\nH = 1\n```")["pkg/helper.py"] == "H = 1\n")
    }

    @Test func languageVersionIsNotAFileName() {
        #expect(files("```python3.11\nx = 1\n```") == ["solution.py": "x = 1\n"])
    }

    @Test func fileNameOnTheLineBefore() {
        for header in [
            "**helper.py**", "`helper.py`", "# helper.py", "File: helper.py", "Here is the updated `helper.py`:",
        ] {
            #expect(files("\(header)\n```python\nH = 1\n```")["helper.py"] == "H = 1\n", "header: \(header)")
        }
    }

    @Test func proseEndingInAColonIsNotAFileName() {
        #expect(files("Here is the code:\n```python\nx = 1\n```") == ["solution.py": "x = 1\n"])
    }

    @Test func severalFiles() {
        let reply = """
            **solution.py**
            ```python
            from helper import H
            ```
            **helper.py**
            ```python
            H = 1
            ```
            """
        #expect(files(reply) == ["solution.py": "from helper import H\n", "helper.py": "H = 1\n"])
    }

    @Test func aPythonBlockIsPreferredOverAShellBlock() {
        let reply = "Install:\n```bash\npip install x\n```\nCode:\n```python\nx = 1\n```"
        #expect(files(reply) == ["solution.py": "x = 1\n"])
    }

    @Test func theFirstMatchingBlockWinsOverExamples() {
        let reply = "```python\ndef add(a, b):\n    return a + b\n```\nExample:\n```python\nprint(add(1, 2))\n```"
        #expect(files(reply) == ["solution.py": "def add(a, b):\n    return a + b\n"])
    }

    @Test func anUnterminatedFenceIsAProblemNotACrash() {
        let attempt = parser.attempt(from: "Here:\n```python\ndef add(a, b):\n    return a +")
        #expect(attempt.files.isEmpty)
        #expect(attempt.problem?.contains("never closed") == true)
        #expect(attempt.reply == "Here:\n```python\ndef add(a, b):\n    return a +")
    }

    @Test func anEmptyReplyHasNoFiles() {
        #expect(parser.attempt(from: "  \n\n").files.isEmpty)
    }

    @Test func longerFencesCanHoldShorterOnes() {
        let reply = "````markdown\n```python\nx\n```\n````"
        #expect(files(reply) == ["solution.py": "```python\nx\n```\n"])
    }

    @Test func swiftFileNamesGoInTheModule() {
        let swift = ReplyParser(solutionPath: "Sources/Stacks/Stacks.swift", language: .swift)
        let attempt = swift.attempt(
            from: "**Stack.swift**\n```swift\nstruct S {}\n```\n```swift\nlet x = 1\n```")
        #expect(
            attempt.files == [
                CodeFile(path: "Sources/Stacks/Stack.swift", content: "struct S {}\n"),
                CodeFile(path: "Sources/Stacks/Stacks.swift", content: "let x = 1\n"),
            ])
    }

    @Test func windowsLineEndings() {
        #expect(files("```python\r\nx = 1\r\n```\r\n") == ["solution.py": "x = 1\n"])
    }
}
