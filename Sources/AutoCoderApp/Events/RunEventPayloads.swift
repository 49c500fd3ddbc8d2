import AutoCoder
import AutoCoderBench

// The fields of each event of ``RunEvents``, written in the ``JSONDocument`` style.

struct RunStarted: Encodable {
    struct Task: Encodable {
        var description: String
        var language: String
        var solutionPath: String
        var tests: [String]
    }
    var version: Int
    var task: Task
    var maxIterations: Int
    var provider: String?
    var model: String?
}

struct Iteration: Encodable {
    var iteration: Int
}

struct IterationStarted: Encodable {
    var iteration: Int
    /// `generate` (the first attempt) or `fix`.
    var kind: StepType
}

struct GenerationDelta: Encodable {
    var iteration: Int
    var text: String
}

struct GenerationFinished: Encodable {
    var iteration: Int
    var durationMs: Int
    var usage: Usage?
    /// The files the reply gave.
    var files: [String]
    /// Why the reply gave nothing to test, when it did not.
    var problem: String?
}

struct TestCaseEvent: Encodable {
    var iteration: Int
    var name: String
    var outcome: TestCase.Outcome
    var message: String?
}

struct TestFinished: Encodable {
    var iteration: Int
    var outcome: TestOutcome
    var numPassed: Int
    var numFailed: Int
    var numErrors: Int
    var numSkipped: Int
    var durationMs: Int
    var message: String?
}

struct IterationFinished: Encodable {
    var iteration: Int
    var kind: StepType
    /// The outcome of the iteration's test run; `null` when nothing was tested (a reply with no code).
    var outcome: TestOutcome?
    var durationMs: Int
    var generationMs: Int
    var files: [String]
}

struct RunFinished: Encodable {
    /// The whole outcome, as `solve --json` prints it.
    var outcome: RunOutcome
}

struct BenchFinished: Encodable {
    /// The summary `bench --json` prints.
    var summary: BenchSummary
}
