import Foundation

/// The result of a whole run of the loop.
public struct RunOutcome: Codable, Hashable, Sendable {
    /// A fresh identifier for this run.
    public var runID: String
    /// Whether the final files pass every test.
    public var solved: Bool
    public var stopReason: StopReason
    /// How many attempts were generated (the first one and each fix).
    public var iterations: Int
    /// Every iteration, in order.
    public var steps: [CodingStep]
    /// The solution: the passing files when solved, otherwise the files of the last attempt that was tested
    /// (an attempt rejected before testing, for writing a test file say, never becomes the solution).
    public var finalFiles: [CodeFile]
    /// The test result of `finalFiles`.
    public var testResult: TestResult?
    /// Tokens and cost of all generator calls together.
    public var usage: Usage
    /// What went wrong, when `stopReason` is ``StopReason/error``.
    public var error: String?
    /// Wall-clock time of the whole run, in milliseconds.
    public var durationMs: Int

    public init(
        runID: String,
        solved: Bool,
        stopReason: StopReason,
        iterations: Int,
        steps: [CodingStep],
        finalFiles: [CodeFile],
        testResult: TestResult?,
        usage: Usage,
        error: String? = nil,
        durationMs: Int
    ) {
        self.runID = runID
        self.solved = solved
        self.stopReason = stopReason
        self.iterations = iterations
        self.steps = steps
        self.finalFiles = finalFiles
        self.testResult = testResult
        self.usage = usage
        self.error = error
        self.durationMs = durationMs
    }

    /// A fresh run identifier: a lower-case UUID.
    public static func newID() -> String {
        UUID().uuidString.lowercased()
    }

    /// The seed's name for ``solved``.
    public var success: Bool { solved }

    enum CodingKeys: String, CodingKey {
        case solved, iterations, steps, usage, error
        case runID = "run_id"
        case stopReason = "stop_reason"
        case finalFiles = "final_files"
        case testResult = "test_result"
        case durationMs = "duration_ms"
    }
}
