/// Runs a task's tests against some code.
public protocol CodeExecutor: Sendable {
    /// Tests `files` against `task`'s tests in a fresh, isolated workspace.
    ///
    /// A failure of the runner itself (no interpreter, say) is reported as
    /// ``TestOutcome/infrastructureError``, not thrown. Only cancellation throws.
    func test(_ files: [CodeFile], for task: CodingTask) async throws -> TestResult

    /// Releases what the executor kept between runs (build directories, say). Call it when the work is done.
    func finish() async
}

extension CodeExecutor {
    /// Nothing to release.
    public func finish() async {}
}
