/// Runs a program directly (what `autocoder exec` does), bounded like a test run.
public protocol CodeRunner: Sendable {
    /// Runs `code`, written under `fileName` in a fresh workspace, within `timeout` (the runner's own when `nil`).
    func run(code: String, fileName: String, timeout: Duration?) async throws -> CodeRunResult
}

extension PytestExecutor: CodeRunner {}
extension SwiftTestExecutor: CodeRunner {}
