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
    /// The solution: the passing files when solved, otherwise the files of the best attempt that was tested
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
    /// Why the run stopped, in a sentence (which attempt was kept, which limit was reached).
    public var stopDetail: String?
    /// The iteration whose files are `finalFiles`.
    public var bestIteration: Int?
    /// The result of the held-out tests on `finalFiles`, when the task has some.
    public var holdoutResult: TestResult?
    /// Whether the solution passes the visible tests but fails held-out ones.
    public var overfit: Bool
    /// Tests that failed once and passed when re-run at once.
    public var flakyTests: [String]
    /// How the parallel first attempts did, when there were several.
    public var candidates: [CandidateSummary]
    /// Whether the run was recorded in a store; when not, its JSON says `"run_id": null` (no command could find it).
    public var isRecorded = true

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
        durationMs: Int,
        stopDetail: String? = nil,
        bestIteration: Int? = nil,
        holdoutResult: TestResult? = nil,
        overfit: Bool = false,
        flakyTests: [String] = [],
        candidates: [CandidateSummary] = []
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
        self.stopDetail = stopDetail
        self.bestIteration = bestIteration
        self.holdoutResult = holdoutResult
        self.overfit = overfit
        self.flakyTests = flakyTests
        self.candidates = candidates
    }

    /// A fresh run identifier: a lower-case UUID.
    public static func newID() -> String {
        UUID().uuidString.lowercased()
    }

    /// The seed's name for ``solved``.
    public var success: Bool { solved }

    enum CodingKeys: String, CodingKey {
        case solved, iterations, steps, usage, error, runID, stopReason, finalFiles, testResult, durationMs
        case stopDetail, bestIteration, holdoutResult, overfit, flakyTests, candidates
    }

    /// Written by hand for one field: `run_id` is `null` for a run that was not recorded.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(isRecorded ? runID : nil, forKey: .runID)
        try container.encode(solved, forKey: .solved)
        try container.encode(stopReason, forKey: .stopReason)
        try container.encode(iterations, forKey: .iterations)
        try container.encode(steps, forKey: .steps)
        try container.encode(finalFiles, forKey: .finalFiles)
        try container.encode(testResult, forKey: .testResult)
        try container.encode(usage, forKey: .usage)
        try container.encode(error, forKey: .error)
        try container.encode(durationMs, forKey: .durationMs)
        try container.encode(stopDetail, forKey: .stopDetail)
        try container.encode(bestIteration, forKey: .bestIteration)
        try container.encode(holdoutResult, forKey: .holdoutResult)
        try container.encode(overfit, forKey: .overfit)
        try container.encode(flakyTests, forKey: .flakyTests)
        try container.encode(candidates, forKey: .candidates)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            runID: try container.decodeIfPresent(String.self, forKey: .runID) ?? "",
            solved: try container.decode(Bool.self, forKey: .solved),
            stopReason: try container.decode(StopReason.self, forKey: .stopReason),
            iterations: try container.decode(Int.self, forKey: .iterations),
            steps: try container.decode([CodingStep].self, forKey: .steps),
            finalFiles: try container.decode([CodeFile].self, forKey: .finalFiles),
            testResult: try container.decodeIfPresent(TestResult.self, forKey: .testResult),
            usage: try container.decode(Usage.self, forKey: .usage),
            error: try container.decodeIfPresent(String.self, forKey: .error),
            durationMs: try container.decode(Int.self, forKey: .durationMs),
            stopDetail: try container.decodeIfPresent(String.self, forKey: .stopDetail),
            bestIteration: try container.decodeIfPresent(Int.self, forKey: .bestIteration),
            holdoutResult: try container.decodeIfPresent(TestResult.self, forKey: .holdoutResult),
            overfit: try container.decodeIfPresent(Bool.self, forKey: .overfit) ?? false,
            flakyTests: try container.decodeIfPresent([String].self, forKey: .flakyTests) ?? [],
            candidates: try container.decodeIfPresent([CandidateSummary].self, forKey: .candidates) ?? [])
        isRecorded = container.contains(.runID) && (try? container.decodeNil(forKey: .runID)) == false
    }
}

/// How one of several parallel first attempts did.
public struct CandidateSummary: Codable, Hashable, Sendable {
    public var variant: Int
    /// `nil` when the candidate was cancelled (another one had passed) or its generator failed.
    public var testResult: TestResult?
    /// Whether this candidate was kept.
    public var kept: Bool

    public init(variant: Int, testResult: TestResult?, kept: Bool) {
        self.variant = variant
        self.testResult = testResult
        self.kept = kept
    }
}
