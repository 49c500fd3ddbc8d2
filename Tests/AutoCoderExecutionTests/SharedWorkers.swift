import AutoCoderExecution

extension PytestWorkerPool {
    /// The warm workers these tests share, as a session's executors share their runtime's: a worker started for
    /// one test serves the next, as in a `bench`.
    static let forTests = PytestWorkerPool()
}
