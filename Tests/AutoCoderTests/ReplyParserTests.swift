import AutoCoder
import AutoCoderExecution
import AutoCoderTestSupport
import Testing

@Suite struct ReplyParserTests {
    let parser = ReplyParser(solutionPath: "solution.py", rules: PythonToolchain())

    func files(_ reply: String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: parser.attempt(from: reply).files.map { ($0.path, $0.content) })
    }

    @Test func bareCodeIsTheSolution() {
        #expect(
            files("\ndef add(a, b):\n    return a + b\n\n") == ["solution.py": "def add(a, b):\n    return a + b\n"])
    }

    @Test func bareCodeLosesTheSentencesAroundIt() {
        let add = "def add(a, b):\n    return a + b\n"
        #expect(files("Here is the solution:\n" + add) == ["solution.py": add])
        #expect(files("Here is the solution:\n\n" + add + "\nThis adds the two numbers.\n") == ["solution.py": add])
        // Code that reads like a sentence stays: lower case, or a line whose body follows it indented.
        let loop = "for x in range(3):\n    print(x)\n"
        #expect(files(loop) == ["solution.py": loop])
        let header = "Result = 1\nNone of these are sentences.\nX = 2\n"
        #expect(files(header) == ["solution.py": header])
        let block = "If True and not False:\n    pass\n"
        #expect(files(block) == ["solution.py": block])
    }

    /// A reply writes only what its language's build takes: a compiled language's source files (Rust also its
    /// manifest, which autocoder rewrites), never a hidden file or folder. Found by a fresh attacker: a
    /// `.cargo/config.toml` whose runner rewrote the sealed lines, and a C++ `helpers.inc` the scan never read.
    @Test func aReplyWritesOnlyWhatItsLanguageTakes() {
        func problem(_ reply: String, _ rules: any LanguageRules, _ solution: String) -> String? {
            ReplyParser(solutionPath: solution, rules: rules).attempt(from: reply).problem
        }
        let rust = RustToolchain()
        #expect(problem("src/lib.rs\n```rust\npub fn f() {}\n```\n", rust, "src/lib.rs") == nil)
        #expect(problem("Cargo.toml\n```toml\n[package]\nname = \"x\"\n```\n", rust, "src/lib.rs") == nil)
        let config =
            "src/lib.rs\n```rust\npub fn f() {}\n```\n.cargo/config.toml\n```toml\n[target.x]\nrunner = \"sh\"\n```\n"
        #expect(problem(config, rust, "src/lib.rs")?.contains("may not write .cargo/config.toml") == true)
        let include = "solution.cpp\n```cpp\n#include \"helpers.inc\"\n```\nhelpers.inc\n```cpp\nint x;\n```\n"
        #expect(problem(include, CppToolchain(), "solution.cpp")?.contains("may not write helpers.inc") == true)
        let manifest = "Package.swift\n```swift\nimport PackageDescription\n```\n"
        #expect(problem(manifest, SwiftToolchain(), "Sources/Solution/Solution.swift") != nil)
        #expect(problem("go.mod\n```\nmodule x\n```\n", GoToolchain(), "solution.go") != nil)
        // Python and JavaScript keep data files; a hidden one is refused everywhere.
        #expect(problem("data.json\n```json\n{}\n```\n", PythonToolchain(), "solution.py") == nil)
        #expect(problem("pkg/.hidden.py\n```python\nx = 1\n```\n", PythonToolchain(), "solution.py") != nil)
        #expect(problem("./src/lib.rs\n```rust\npub fn f() {}\n```\n", rust, "src/lib.rs") == nil)
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
        let swift = ReplyParser(solutionPath: "Sources/Stacks/Stacks.swift", rules: SwiftToolchain())
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

    // MARK: Choosing between unnamed blocks by what the tests use

    static let areaTests = "from solution import area\n\ndef test_area():\n    assert area(2, 3) == 6\n"

    func chosen(_ reply: String, tests: String = areaTests, language: Language = .python) -> String? {
        let path = language == .python ? "solution.py" : "Sources/Solution/Solution.swift"
        return ReplyParser(solutionPath: path, rules: Toolchains.toolchain(for: language), testCode: tests).attempt(
            from: reply
        ).files
            .first { $0.path == path }?.content
    }

    @Test func aUsageExampleBeforeTheCodeIsNotTakenForTheSolution() {
        let reply = """
            Use it like this:
            ```python
            print(area(2, 2))
            ```
            The implementation:
            ```python
            def area(w, h):
                return w * h
            ```
            """
        #expect(chosen(reply) == "def area(w, h):\n    return w * h\n")
    }

    @Test func repeatedTestsAreNotTakenForTheSolution() {
        let reply = """
            ```python
            from solution import area

            def test_area():
                assert area(2, 3) == 6
            ```
            ```python
            def area(w, h):
                return w * h
            ```
            """
        #expect(chosen(reply) == "def area(w, h):\n    return w * h\n")
    }

    @Test func blocksThatEachDefineANeededNameAreJoined() {
        let tests =
            "from solution import area, perimeter\n\ndef test_both():\n    assert area(1, 1) == perimeter(0, 0.5)\n"
        let reply = """
            ```python
            def area(w, h):
                return w * h
            ```
            and
            ```python
            def perimeter(w, h):
                return 2 * (w + h)
            ```
            ```python
            print(area(1, 2))
            ```
            """
        #expect(
            chosen(reply, tests: tests)
                == "def area(w, h):\n    return w * h\n\ndef perimeter(w, h):\n    return 2 * (w + h)\n")
    }

    @Test func theBlockThatDefinesTheMostWinsWhenItCoversTheRest() {
        let tests =
            "from solution import Stack\n\ndef test_push():\n    s = Stack()\n    s.push(1)\n    assert s.pop() == 1\n"
        let reply = """
            ```python
            s = Stack()
            s.push(1)
            ```
            ```python
            class Stack:
                def __init__(self):
                    self.items = []
                def push(self, item):
                    self.items.append(item)
                def pop(self):
                    return self.items.pop()
            ```
            """
        #expect(chosen(reply, tests: tests)?.hasPrefix("class Stack:") == true)
    }

    @Test func swiftBlocksAreChosenByTheTypesTheTestsUse() {
        let tests =
            "@testable import Solution\nimport Testing\n\n@Test func sum() { #expect(Calculator().add(1, 2) == 3) }\n"
        let reply = """
            ```swift
            let c = Calculator()
            print(c.add(1, 2))
            ```
            ```swift
            struct Calculator {
                func add(_ a: Int, _ b: Int) -> Int { a + b }
            }
            ```
            """
        #expect(chosen(reply, tests: tests, language: .swift)?.hasPrefix("struct Calculator") == true)
    }

    @Test func whenNoBlockDefinesANeededNameTheFirstBlockInTheLanguageStays() {
        let reply = "```text\nnotes\n```\n```python\nx = 1\n```\n```python\ny = 2\n```"
        #expect(chosen(reply) == "x = 1\n")
    }
}

/// Completion-style replies are merged with the starter that holds the signature and docstring.
@Suite struct StarterMergeTests {
    static let starter = """
        from typing import List


        def has_close_elements(numbers: List[float], threshold: float) -> bool:
            \"\"\" Check if any two numbers are closer than threshold. \"\"\"

        """

    func parsed(_ reply: String) -> String? {
        ReplyParser(solutionPath: "solution.py", rules: PythonToolchain(), starter: Self.starter).attempt(from: reply)
            .files
            .first?.content
    }

    @Test func aBodyAloneGoesUnderTheSignature() {
        let reply =
            "```python\n    for i, a in enumerate(numbers):\n        for b in numbers[i + 1:]:\n"
            + "            if abs(a - b) < threshold:\n                return True\n    return False\n```"
        let code = parsed(reply) ?? ""
        #expect(code.hasPrefix("from typing import List\n\n\ndef has_close_elements("))
        #expect(code.contains("\"\"\" Check if any two numbers are closer than threshold. \"\"\"\n    for i, a in"))
        #expect(code.hasSuffix("    return False\n"))
    }

    @Test func aFunctionWithoutTheStartersImportsGetsThem() {
        let reply =
            "```python\ndef has_close_elements(numbers: List[float], threshold: float) -> bool:\n"
            + "    return False\n```"
        #expect(
            parsed(reply)
                == "from typing import List\n\ndef has_close_elements(numbers: List[float], threshold: float) -> bool:\n"
                + "    return False\n")
    }

    @Test func aReplyWithTheImportsIsLeftAsItIs() {
        let reply =
            "```python\nfrom typing import List\n\ndef has_close_elements(numbers, threshold):\n    return 1\n```"
        #expect(
            parsed(reply) == "from typing import List\n\ndef has_close_elements(numbers, threshold):\n    return 1\n")
    }

    @Test func withoutAStarterNothingChanges() {
        let parser = ReplyParser(solutionPath: "solution.py", rules: PythonToolchain())
        #expect(parser.attempt(from: "```python\n    return 1\n```").files.first?.content == "    return 1\n")
    }
}

@Suite struct InconsistencyClaimTests {
    @Test func theMarkerIsFoundInItsUsualSpellings() {
        #expect(ReplyParser.inconsistencyClaim(in: "TESTS INCONSISTENT: 2 + 3 is not 6") == "2 + 3 is not 6")
        #expect(ReplyParser.inconsistencyClaim(in: "I looked.\n**TESTS_INCONSISTENT:** wrong sum") == "wrong sum")
        #expect(ReplyParser.inconsistencyClaim(in: "tests inconsistent:") == "no reason given")
        #expect(ReplyParser.inconsistencyClaim(in: "The tests are inconsistent with nothing.") == nil)
    }

    @Test func aReplyWithCodeIsNotAClaim() {
        let parser = ReplyParser(solutionPath: "solution.py", rules: PythonToolchain())
        let claim = parser.attempt(from: "TESTS INCONSISTENT: the sum is wrong")
        #expect(claim.testsInconsistent == "the sum is wrong")
        #expect(claim.files.isEmpty && claim.problem != nil)
        let code = parser.attempt(from: "TESTS INCONSISTENT: maybe\n```python\ndef add(a, b):\n    return a + b\n```")
        #expect(code.testsInconsistent == nil)
        #expect(code.files.count == 1)
    }
}
