import AutoCoder
import AutoCoderExecution
import AutoCoderLLM
import AutoCoderTestSupport
import Testing

/// What the system prompt says for each kind of task: one file or several, and the language's facts.
@Suite struct PromptBuilderTests {
    let builder = PromptBuilder(languages: Toolchains.languages)

    @Test func aOneFileTaskAsksForOneBlockAndPythonsPromptIsUnchanged() {
        let task = CodingTask(description: "add", tests: [], language: "python", solutionPath: "solution.py")
        let prompt = builder.systemPrompt(for: task)
        #expect(prompt.contains("one ```python block holding the complete file"))
        #expect(prompt.hasSuffix("and the reason."), "Python's measured wording has nothing after it: \(prompt)")
    }

    @Test func aTaskOfSeveralFilesAsksForEachWithItsPathAndTheLanguagesFacts() {
        let task = CodingTask(
            description: "convert", tests: [], language: "cpp", solutionPath: "convert.cpp",
            starterFiles: [CodeFile(path: "convert.cpp", content: ""), CodeFile(path: "convert.h", content: "")])
        let prompt = builder.systemPrompt(for: task)
        #expect(prompt.contains("a ```cpp block for each file you change"), "\(prompt)")
        #expect(prompt.contains("with its path on the line just above it"))
        #expect(prompt.contains("C++17") && prompt.contains("Catch2"), "\(prompt)")
        let go = builder.systemPrompt(
            for: CodingTask(description: "x", tests: [], language: "go", solutionPath: "x.go"))
        #expect(go.contains("Go 1.19"), "\(go)")
    }

    @Test func hiddenTestsAreNamedButNotShown() {
        var task = CodingTask(
            description: "add", tests: [CodeFile(path: "test_add.py", content: "SECRET_ASSERTION = 1\n")],
            language: "python", solutionPath: "solution.py")
        let shown = builder.firstAttempt(for: task).map(\.content).joined()
        #expect(shown.contains("SECRET_ASSERTION"))
        task.testsHidden = true
        let hidden = builder.firstAttempt(for: task).map(\.content).joined()
        #expect(
            !hidden.contains("SECRET_ASSERTION") && hidden.contains("`test_add.py`; they are not shown"), "\(hidden)")
    }
}
