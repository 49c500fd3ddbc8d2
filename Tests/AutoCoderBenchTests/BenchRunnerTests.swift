import AutoCoder
import AutoCoderBench
import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

/// Passes code containing "RIGHT".
private struct KeywordExecutor: CodeExecutor {
    func test(_ files: [CodeFile], for task: CodingTask) async throws -> TestResult {
        let right = files.contains { $0.content.contains("RIGHT") }
        return TestResult(
            outcome: right ? .passed : .failed, tests: [TestCase(name: "t", outcome: right ? .passed : .failed)])
    }
}

@Suite struct BenchRunnerTests {
    func problems(_ count: Int) -> [BenchProblem] {
        (0..<count).map { index in
            BenchProblem(
                id: "p\(index)",
                task: CodingTask(description: "d", tests: [CodeFile(path: "test_x.py", content: "")]),
                reference: [CodeFile(path: "solution.py", content: "RIGHT")],
                broken: [CodeFile(path: "solution.py", content: "WRONG")])
        }
    }

    /// The loop on each problem, with the generator `generator(problem)`.
    func run(
        _ problems: [BenchProblem], jobs: Int, maxIterations: Int,
        generator: @escaping @Sendable (BenchProblem) -> any CodeGenerator
    ) async throws -> [BenchResult] {
        try await BenchRunner(jobs: jobs).run(problems) { problem in
            await AutonomousCoder(
                generator: generator(problem), executor: KeywordExecutor(), maxIterations: maxIterations
            )
            .solve(problem.task)
        }
    }

    @Test func oraclesAndTheSummary() async throws {
        let canonical = try await run(problems(7), jobs: 3, maxIterations: 1) { OracleGenerator(files: $0.reference) }
        #expect(canonical.map(\.taskID) == (0..<7).map { "p\($0)" })
        #expect(canonical.allSatisfy { $0.solved && $0.firstAttemptPassed && $0.iterations == 1 })
        let broken = try await run(problems(4), jobs: 3, maxIterations: 1) { OracleGenerator(files: $0.broken) }
        #expect(broken.allSatisfy { !$0.solved && $0.outcome == .failed && $0.stopReason == .maxIterations })
        let summary = BenchSummary(dataset: "x", results: canonical + broken, wallSeconds: 1)
        #expect(summary.problems == 11)
        #expect(summary.solved == 7)
        #expect(abs(summary.passAt1 - 7.0 / 11.0) < 1e-9)
    }

    @Test func theLoopCountsFirstTriesApartFromFixes() async throws {
        let results = try await run(problems(3), jobs: 2, maxIterations: 3) { _ in
            ScriptedGenerator(replies: ["WRONG", "RIGHT"], languages: Toolchains.languages)
        }
        #expect(results.allSatisfy { $0.solved && !$0.firstAttemptPassed && $0.iterations == 2 })
        #expect(BenchSummary(dataset: "x", results: results, wallSeconds: 1).passAt1 == 0)
    }

    @Test func aTaskSetLoadsItsSolutions() throws {
        let directory = try TemporaryDirectory()
        try directory.write("b/task.md", "Write b.")
        try directory.write("b/tests/test_b.py", "def test_b(): pass\n")
        try directory.write("b/solution/solution.py", "RIGHT\n")
        try directory.write("a/task.md", "Write a.")
        try directory.write("a/tests/test_a.py", "def test_a(): pass\n")
        try directory.write("README.md", "not a task")
        let problems = try TaskSet.load(directory: directory.url)
        #expect(problems.map(\.id) == ["a", "b"])
        #expect(problems[1].reference == [CodeFile(path: "solution.py", content: "RIGHT\n")])
        #expect(problems[0].reference.isEmpty)
        #expect(throws: InputError.self) { try TaskSet.load(directory: directory.url.appendingPathComponent("nope")) }
    }
}
