import AutoCoder
import AutoCoderBench

// The fields of each event of ``RunEvents``, snake_case, every key written (`null` when empty).

struct RunStarted: Encodable {
    struct Task: Encodable {
        var description: String
        var language: String
        var solutionPath: String
        var tests: [String]

        enum CodingKeys: String, CodingKey {
            case description, language, tests
            case solutionPath = "solution_path"
        }
    }
    var version: Int
    var task: Task
    var maxIterations: Int
    var provider: String?
    var model: String?

    enum CodingKeys: String, CodingKey {
        case version, task, provider, model
        case maxIterations = "max_iterations"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(task, forKey: .task)
        try container.encode(maxIterations, forKey: .maxIterations)
        try container.encode(provider, forKey: .provider)
        try container.encode(model, forKey: .model)
    }
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

    enum CodingKeys: String, CodingKey {
        case iteration, usage, files, problem
        case durationMs = "duration_ms"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(iteration, forKey: .iteration)
        try container.encode(durationMs, forKey: .durationMs)
        try container.encode(usage, forKey: .usage)
        try container.encode(files, forKey: .files)
        try container.encode(problem, forKey: .problem)
    }
}

struct TestCaseEvent: Encodable {
    var iteration: Int
    var name: String
    var outcome: TestCase.Outcome
    var message: String?

    enum CodingKeys: String, CodingKey {
        case iteration, name, outcome, message
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(iteration, forKey: .iteration)
        try container.encode(name, forKey: .name)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(message, forKey: .message)
    }
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

    enum CodingKeys: String, CodingKey {
        case iteration, outcome, message
        case numPassed = "num_passed"
        case numFailed = "num_failed"
        case numErrors = "num_errors"
        case numSkipped = "num_skipped"
        case durationMs = "duration_ms"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(iteration, forKey: .iteration)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(numPassed, forKey: .numPassed)
        try container.encode(numFailed, forKey: .numFailed)
        try container.encode(numErrors, forKey: .numErrors)
        try container.encode(numSkipped, forKey: .numSkipped)
        try container.encode(durationMs, forKey: .durationMs)
        try container.encode(message, forKey: .message)
    }
}

struct IterationFinished: Encodable {
    var iteration: Int
    var kind: StepType
    /// The outcome of the iteration's test run; `null` when nothing was tested (a reply with no code).
    var outcome: TestOutcome?
    var durationMs: Int
    var generationMs: Int
    var files: [String]

    enum CodingKeys: String, CodingKey {
        case iteration, kind, outcome, files
        case durationMs = "duration_ms"
        case generationMs = "generation_ms"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(iteration, forKey: .iteration)
        try container.encode(kind, forKey: .kind)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(durationMs, forKey: .durationMs)
        try container.encode(generationMs, forKey: .generationMs)
        try container.encode(files, forKey: .files)
    }
}

struct RunFinished: Encodable {
    /// The whole outcome, as `solve --json` prints it.
    var outcome: RunOutcome
}

struct BenchFinished: Encodable {
    /// The summary `bench --json` prints.
    var summary: BenchSummary
}
