import AutoCoder
import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

@Suite struct ScriptedGeneratorTests {
    @Test func repliesAreUsedInOrderThenRunOut() async throws {
        let generator = ScriptedGenerator(
            replies: ["```python\nfirst\n```", "second"], languages: Toolchains.languages)
        let feedback = Feedback(testResult: TestResult(outcome: .failed))
        let one = try await generator.generate(sampleTask)
        let two = try await generator.fix(sampleTask, previous: one, feedback: feedback)
        #expect(one.files == [CodeFile(path: "solution.py", content: "first\n")])
        #expect(two.files == [CodeFile(path: "solution.py", content: "second\n")])
        await #expect(throws: GeneratorError.self) {
            try await generator.fix(sampleTask, previous: two, feedback: feedback)
        }
    }

    @Test func readsJSONAndYAMLScripts() throws {
        let dir = try TemporaryDirectory()
        let json = try dir.write("r.json", #"["a = 1", "```python\nb = 2\n```"]"#)
        #expect(try ScriptedGenerator(contentsOf: json).replies == ["a = 1", "```python\nb = 2\n```"])
        let yaml = try dir.write("r.yaml", "- |\n  def f():\n      return 1\n- b = 2\n")
        #expect(try ScriptedGenerator(contentsOf: yaml).replies == ["def f():\n    return 1\n", "b = 2"])
    }

    @Test(arguments: [
        ("", "must be a JSON array or YAML list"),
        ("[]", "has no replies"),
        ("{\"a\": 1}", "must be a JSON array or YAML list"),
        ("[1, 2]", "is not a text"),
        ("[\"unclosed", "neither a JSON array nor a YAML list"),
    ])
    func badScripts(_ text: String, _ fragment: String) throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("bad.json", text)
        do {
            _ = try ScriptedGenerator(contentsOf: file)
            Issue.record("expected an error for \(text)")
        } catch let error as InputError {
            #expect(error.message.contains(fragment), "message: \(error.message)")
        }
    }
}
