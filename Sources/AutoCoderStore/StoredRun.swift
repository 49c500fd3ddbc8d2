import AutoCoder
import Foundation

/// Whether a run is going on, ended, or was cut off.
public enum RunStatus: String, Codable, Hashable, Sendable {
    case running
    case finished
    /// The process died (killed, crashed) before the run ended.
    case interrupted
}

/// How a run was set up: enough to repeat it.
public struct RunSettings: Codable, Hashable, Sendable {
    public var provider: String
    public var model: String?
    public var maxIterations: Int
    public var timeoutSeconds: Double?
    public var memoryMB: Int?
    public var maxProcesses: Int?
    public var sandbox: Bool
    public var python: String?
    /// The loop's guards (absent in runs recorded before they existed).
    public var revertOnRegression: Bool?
    public var stallLimit: Int?
    public var rerunFailures: Bool?
    public var candidates: Int?
    public var maxTokens: Int?
    public var maxCostUSD: Double?
    public var maxTimeSeconds: Double?
    /// The integrity mode of its pytest runs (absent in runs recorded before it existed: strict).
    public var integrity: IntegrityMode?
    /// The disk limit of one run in MB (absent in runs recorded before it existed: the default).
    public var diskMB: Int?

    public init(
        provider: String, model: String? = nil, maxIterations: Int, timeoutSeconds: Double? = nil,
        memoryMB: Int? = nil, maxProcesses: Int? = nil, sandbox: Bool = true, python: String? = nil
    ) {
        self.provider = provider
        self.model = model
        self.maxIterations = maxIterations
        self.timeoutSeconds = timeoutSeconds
        self.memoryMB = memoryMB
        self.maxProcesses = maxProcesses
        self.sandbox = sandbox
        self.python = python
    }

    enum CodingKeys: String, CodingKey {
        case provider, model, sandbox, python, maxIterations, timeoutSeconds, memoryMB, revertOnRegression
        case stallLimit, rerunFailures, candidates, maxTokens, maxCostUSD, maxTimeSeconds, integrity, diskMB
        case maxProcesses = "max_procs"
    }
}

/// One line of `autocoder runs list`.
public struct RunSummary: Codable, Hashable, Sendable {
    public var id: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var status: RunStatus
    public var taskTitle: String
    public var provider: String
    public var model: String?
    /// The run this one replayed.
    public var replayOf: String?
    public var solved: Bool?
    public var stopReason: StopReason?
    public var iterations: Int
    public var promptTokens: Int
    public var completionTokens: Int
    public var costUSD: Double?
    public var error: String?
    public var durationMs: Int?
    /// The last test run's passing tests, and all its tests (as `runs list` reads them; `nil` before any test run).
    public var testsPassed: Int? = nil
    public var testsTotal: Int? = nil

    enum CodingKeys: String, CodingKey {
        case id, status, provider, model, solved, iterations, error, testsPassed, testsTotal, startedAt, finishedAt
        case replayOf, stopReason, promptTokens, completionTokens, costUSD, durationMs
        case taskTitle = "task"
    }
}

/// Everything recorded of a run.
public struct StoredRun: Codable, Hashable, Sendable {
    public var summary: RunSummary
    public var task: CodingTask
    public var settings: RunSettings
    /// Each generator call, in order.
    public var calls: [GeneratorCall]
    /// Each step with its test result, in order.
    public var steps: [CodingStep]

    enum CodingKeys: String, CodingKey {
        case task, settings, steps
        case summary = "run"
        case calls = "generator_calls"
    }
}
