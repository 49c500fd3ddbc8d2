import Logging

/// The generate → test → fix loop.
///
/// It asks its ``CodeGenerator`` for a first attempt, tests it with its ``CodeExecutor``, and while tests fail
/// feeds the failures back for a fix, until the tests pass or the iteration limit is reached.
///
/// ```swift
/// let coder = AutonomousCoder(generator: myGenerator, executor: PytestExecutor(), maxIterations: 5)
/// let outcome = await coder.solve(task)
/// ```
public struct AutonomousCoder: Sendable {
    public var generator: any CodeGenerator
    public var executor: any CodeExecutor
    /// The most attempts (the first one and each fix) unless the task sets its own limit.
    public var maxIterations: Int
    /// Shapes the failures of one attempt into the text the next fix is given.
    public var feedbackFormatter: FeedbackFormatter
    /// Regression guard, stall stop, budgets, parallel candidates and flaky re-runs.
    public var policy: LoopPolicy

    let logger = Logger(label: "autocoder.loop")

    public init(
        generator: any CodeGenerator,
        executor: any CodeExecutor,
        maxIterations: Int = 5,
        feedbackFormatter: FeedbackFormatter = FeedbackFormatter(),
        policy: LoopPolicy = LoopPolicy()
    ) {
        self.generator = generator
        self.executor = executor
        self.maxIterations = maxIterations
        self.feedbackFormatter = feedbackFormatter
        self.policy = policy
    }
}
