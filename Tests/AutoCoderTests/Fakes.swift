import AutoCoder
import AutoCoderTestSupport
import Synchronization

/// An executor that passes code containing "CORRECT" and fails anything else, recording what it ran.
final class FakeExecutor: CodeExecutor {
    private let calls = Mutex<[[CodeFile]]>([])
    let outcomeForWrongCode: TestOutcome

    init(outcomeForWrongCode: TestOutcome = .failed) {
        self.outcomeForWrongCode = outcomeForWrongCode
    }

    var runs: [[CodeFile]] { calls.withLock { $0 } }

    func test(_ files: [CodeFile], for task: CodingTask) async throws -> TestResult {
        calls.withLock { $0.append(files) }
        let correct = files.contains { $0.content.contains("CORRECT") }
        if correct {
            return TestResult(outcome: .passed, tests: [TestCase(name: "test_add", outcome: .passed)], exitCode: 0)
        }
        if outcomeForWrongCode == .infrastructureError {
            return TestResult(outcome: .infrastructureError, message: "no interpreter")
        }
        return TestResult(
            outcome: outcomeForWrongCode,
            tests: [
                TestCase(name: "test_add", outcome: .failed, message: "assert 3 == 4", details: "def test_add(): ..."),
                TestCase(name: "test_ok", outcome: .passed),
            ],
            exitCode: 1)
    }
}

/// Records the arguments a closure generator receives.
final class CallLog: Sendable {
    private let entries = Mutex<[[String]]>([])

    func record(_ arguments: [String]) {
        entries.withLock { $0.append(arguments) }
    }

    var all: [[String]] { entries.withLock { $0 } }
}

/// A generator whose replies come from a list of attempts, recording the feedback it gets.
final class ListGenerator: CodeGenerator {
    private let attempts: [Attempt]
    private let state = Mutex<(index: Int, feedback: [Feedback], previous: [Attempt])>((0, [], []))

    init(_ attempts: [Attempt]) {
        self.attempts = attempts
    }

    var feedback: [Feedback] { state.withLock { $0.feedback } }
    var previous: [Attempt] { state.withLock { $0.previous } }

    func generate(_ task: CodingTask) async throws -> Attempt {
        next()
    }

    func fix(_ task: CodingTask, previous: Attempt, feedback: Feedback) async throws -> Attempt {
        state.withLock {
            $0.feedback.append(feedback)
            $0.previous.append(previous)
        }
        return next()
    }

    private func next() -> Attempt {
        state.withLock { state in
            defer { state.index += 1 }
            return attempts[min(state.index, attempts.count - 1)]
        }
    }
}

/// A generator that fails.
struct FailingGenerator: CodeGenerator {
    func generate(_ task: CodingTask) async throws -> Attempt {
        throw GeneratorError("the model is down")
    }

    func fix(_ task: CodingTask, previous: Attempt, feedback: Feedback) async throws -> Attempt {
        throw GeneratorError("the model is down")
    }
}

/// A generator that waits until it is cancelled.
struct HangingGenerator: CodeGenerator {
    func generate(_ task: CodingTask) async throws -> Attempt {
        try await Task.sleep(for: .seconds(3600))
        return Attempt(files: [])
    }

    func fix(_ task: CodingTask, previous: Attempt, feedback: Feedback) async throws -> Attempt {
        try await generate(task)
    }
}

let sampleTask = CodingTask(
    description: "write add", tests: [CodeFile(path: "test_solution.py", content: "def test_add(): ...")])

func attempt(_ code: String, usage: Usage? = nil) -> Attempt {
    Attempt(files: [CodeFile(path: "solution.py", content: code)], usage: usage)
}

/// Collects generator calls from an event handler.
final class Calls: Sendable {
    private let calls = Mutex<[GeneratorCall]>([])

    func append(_ call: GeneratorCall) {
        calls.withLock { $0.append(call) }
    }

    var all: [GeneratorCall] { calls.withLock { $0 } }
}
