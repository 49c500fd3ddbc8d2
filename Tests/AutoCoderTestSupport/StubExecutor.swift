import AutoCoder

/// An executor for the store's tests: passes code containing "CORRECT" and fails anything else, with two named
/// tests (one of them failing with a message and details).
public struct StubExecutor: CodeExecutor {
    public init() {}

    public func test(_ files: [CodeFile], for task: CodingTask) async throws -> TestResult {
        let correct = files.contains { $0.content.contains("CORRECT") }
        return TestResult(
            outcome: correct ? .passed : .failed,
            tests: [
                TestCase(name: "test_a", suite: "test_x", outcome: .passed),
                TestCase(
                    name: "test_b", suite: "test_x", outcome: correct ? .passed : .failed,
                    message: correct ? nil : "assert 1 == 2", details: correct ? nil : "trace"),
            ],
            exitCode: correct ? 0 : 1, durationMs: 5, output: "out")
    }
}
