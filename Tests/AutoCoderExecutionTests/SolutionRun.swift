import AutoCoder
import AutoCoderTestSupport

@testable import AutoCoderExecution

/// One pytest run of `solution` (as `solution.py`) against `tests` (as `testFile`) with the integrity `mode`, on
/// the suites' shared warm workers: what the verdict-bridge suites compare with no check and bridged.
func solutionRun(
    _ solution: String, _ tests: String, testFile: String, mode: IntegrityMode
) async throws -> TestResult {
    let task = CodingTask(
        description: "verdicts", tests: [CodeFile(path: testFile, content: tests)], timeoutSeconds: 60)
    let executor = PytestExecutor(integrity: mode, workers: .forTests)
    return try await executor.test([CodeFile(path: "solution.py", content: solution)], for: task)
}
