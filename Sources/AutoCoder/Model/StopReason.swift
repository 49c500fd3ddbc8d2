/// Why the loop stopped.
public enum StopReason: String, Codable, Hashable, Sendable, CaseIterable {
    case testsPassed = "tests_passed"
    case maxIterations = "max_iterations"
    case noProgress = "no_progress"
    case budgetExhausted = "budget_exhausted"
    case timeout
    case cancelled
    /// The generator or the executor failed; ``RunOutcome/error`` says how.
    case error
    /// The generator answered that the tests contradict the description, with a reason (in
    /// ``RunOutcome/stopDetail``), instead of code. Not a solution.
    case testsInconsistent = "tests_inconsistent"
}
