import AutoCoder
import AutoCoderBench
import AutoCoderTestSupport
import Foundation
import Testing

/// Exercism's layout read into problems, on the project's own six-track fixture (one exercise per track, in the
/// polyglot benchmark's layout): the files each part plays, skipped tests turned on, the tooling left out, and the
/// example solution placed where the stubs are.
@Suite struct ExercismTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/polyglot").standardizedFileURL

    @Test func everyTrackWithAToolchainIsLoaded() throws {
        let (problems, leftOut) = try Exercism.loadPolyglot(root: Self.fixture)
        #expect(leftOut.isEmpty)
        #expect(
            problems.map(\.id) == [
                "cpp/digit-sum", "go/digit-sum", "java/digit-sum", "javascript/digit-sum", "python/digit-sum",
                "rust/digit-sum",
            ])
        #expect(problems.map(\.task.language.rawValue) == ["cpp", "go", "java", "javascript", "python", "rust"])
        for problem in problems {
            #expect(problem.task.description.contains("digitSum(n)"), "\(problem.id)")
            #expect(problem.task.description.contains("Change the supplied files"), "\(problem.id)")
            #expect(problem.task.testsHidden, "Aider's protocol shows no test code")
            #expect(Set(problem.reference.map(\.path)) == Set(problem.broken.map(\.path)).subtracting(["Cargo.toml"]))
        }
    }

    @Test func eachPartOfAnExerciseIsPlaced() throws {
        let problems = try Exercism.loadPolyglot(root: Self.fixture).problems
        func problem(_ track: String) throws -> BenchProblem {
            try #require(problems.first { $0.id == "\(track)/digit-sum" })
        }
        let cpp = try problem("cpp")
        #expect(cpp.task.solutionPath == "digit_sum.cpp")
        #expect(cpp.task.starterFiles.map(\.path) == ["digit_sum.cpp", "digit_sum.h"])
        #expect(cpp.reference.map(\.path) == ["digit_sum.cpp", "digit_sum.h"])
        #expect(cpp.task.tests.map(\.path) == ["digit_sum_test.cpp"], "CMakeLists.txt is tooling")
        #expect(cpp.task.tests[0].content.hasPrefix("#define EXERCISM_RUN_ALL_TESTS\n"))
        let go = try problem("go")
        #expect(Set(go.task.tests.map(\.path)) == ["digit_sum_test.go", "cases_test.go", "go.mod"])
        let java = try problem("java")
        #expect(java.reference.map(\.path) == ["src/main/java/DigitSum.java"])
        #expect(!java.task.tests[0].content.contains("@Disabled("))
        #expect(!java.task.tests.map(\.path).contains("build.gradle"))
        let javascript = try problem("javascript")
        #expect(javascript.task.tests.map(\.path) == ["digit-sum.spec.js"], "package.json is tooling")
        #expect(!javascript.task.tests[0].content.contains("xtest("))
        let rust = try problem("rust")
        #expect(rust.task.solutionPath == "src/lib.rs")
        #expect(rust.reference.map(\.path) == ["src/lib.rs"])
        #expect(!rust.task.tests[0].content.contains("#[ignore]"))
    }

    @Test func languagesChooseTracksAndBadPathsSayWhy() throws {
        let chosen = try Exercism.loadPolyglot(root: Self.fixture, languages: ["go", "python"], showingTests: true)
            .problems
        #expect(chosen.map(\.id) == ["go/digit-sum", "python/digit-sum"])
        #expect(chosen.allSatisfy { !$0.task.testsHidden })
        #expect(throws: InputError.self) { try Exercism.loadPolyglot(root: Self.fixture, languages: ["cobol"]) }
        let empty = try TemporaryDirectory()
        let error = try #require(throws: InputError.self) { try Exercism.loadPolyglot(root: empty.url) }
        #expect(error.message.contains("polyglot-benchmark"))
        let track = try Exercism.loadTrack(root: Self.fixture.appendingPathComponent("go"))
        #expect(track.map(\.id) == ["go/digit-sum"])
        #expect(throws: InputError.self) { try Exercism.loadTrack(root: Self.fixture) }
    }

    @Test func swiftsTrackLeavesItsManifestOutAndTurnsEveryTestOn() throws {
        let root = Self.fixture.deletingLastPathComponent().appendingPathComponent("exercism-swift")
        let problem = try #require(try Exercism.loadTrack(root: root).first)
        #expect(problem.id == "swift/digit-sum")
        #expect(
            problem.task.tests.map(\.path) == ["Tests/DigitSumTests/DigitSumTests.swift"], "Package.swift is tooling")
        #expect(problem.task.tests[0].content.contains("let RUNALL = true\n"))
        #expect(problem.reference.map(\.path) == ["Sources/DigitSum/DigitSum.swift"])
    }
}
