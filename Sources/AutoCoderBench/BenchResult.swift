import AutoCoder

/// How one problem went.
public struct BenchResult: Codable, Hashable, Sendable {
    public var taskID: String
    public var solved: Bool
    public var iterations: Int
    /// Whether the first attempt already passed (pass@1 without the loop).
    public var firstAttemptPassed: Bool
    public var stopReason: StopReason
    /// The outcome of the last test run.
    public var outcome: TestOutcome?
    public var message: String?
    public var durationMs: Int
    public var usage: Usage

    enum CodingKeys: String, CodingKey {
        case solved, iterations, outcome, message, usage
        case taskID = "task_id"
        case firstAttemptPassed = "first_attempt_passed"
        case stopReason = "stop_reason"
        case durationMs = "duration_ms"
    }

    /// Every key is written, `null` when it has no value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(taskID, forKey: .taskID)
        try container.encode(solved, forKey: .solved)
        try container.encode(iterations, forKey: .iterations)
        try container.encode(firstAttemptPassed, forKey: .firstAttemptPassed)
        try container.encode(stopReason, forKey: .stopReason)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(message, forKey: .message)
        try container.encode(durationMs, forKey: .durationMs)
        try container.encode(usage, forKey: .usage)
    }
}

/// A whole benchmark run.
public struct BenchSummary: Codable, Hashable, Sendable {
    public var dataset: String
    public var problems: Int
    public var solved: Int
    /// The share of problems whose first attempt passed.
    public var passAt1: Double
    /// The share of problems solved with the loop.
    public var solveRate: Double
    public var wallSeconds: Double
    /// Whether the run was stopped (Ctrl-C, SIGTERM) before every problem finished.
    public var interrupted: Bool
    public var results: [BenchResult]

    public init(dataset: String, results: [BenchResult], wallSeconds: Double, interrupted: Bool = false) {
        self.dataset = dataset
        self.problems = results.count
        self.solved = results.filter(\.solved).count
        let count = Double(max(results.count, 1))
        self.passAt1 = Double(results.filter(\.firstAttemptPassed).count) / count
        self.solveRate = Double(solved) / count
        self.wallSeconds = wallSeconds
        self.interrupted = interrupted
        self.results = results
    }

    enum CodingKeys: String, CodingKey {
        case dataset, problems, solved, results, interrupted
        case passAt1 = "pass_at_1"
        case solveRate = "solve_rate"
        case wallSeconds = "wall_seconds"
    }
}
