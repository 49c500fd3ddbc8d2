import AutoCoder
import Testing

@Suite struct AttemptCheckTests {
    @Test(arguments: ["solution.py", "pkg/mod.py", "./a.py", "a/b/c.txt"])
    func safePaths(_ path: String) {
        #expect(AttemptCheck.isSafeRelativePath(path))
    }

    @Test(arguments: ["", "/etc/passwd", "../up.py", "a/../../b.py", "~/x.py", "a\\b.py", "a\0b"])
    func unsafePaths(_ path: String) {
        #expect(!AttemptCheck.isSafeRelativePath(path))
    }

    @Test func rejectsTestFilesAndEscapes() {
        #expect(AttemptCheck.problem(with: attempt("x"), for: sampleTask) == nil)
        let forged = Attempt(files: [CodeFile(path: "./test_solution.py", content: "")])
        #expect(AttemptCheck.problem(with: forged, for: sampleTask)?.contains("test file") == true)
        let escape = Attempt(files: [CodeFile(path: "../x.py", content: "")])
        #expect(AttemptCheck.problem(with: escape, for: sampleTask)?.contains("not allowed") == true)
        #expect(AttemptCheck.problem(with: Attempt(files: []), for: sampleTask)?.contains("no code") == true)
    }
}
