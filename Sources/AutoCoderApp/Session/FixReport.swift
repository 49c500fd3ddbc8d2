import AutoCoder

/// What `fix --json` prints (and the MCP `fix` tool answers): the run's outcome document, then the repository's
/// side: its root, base commit, test command, the baseline run, the diff, the branch a commit went on, and
/// whether there was nothing to fix.
public struct FixReport: Encodable, Sendable {
    public var outcome: RunOutcome?
    public var repository: String
    public var baseCommit: String?
    public var testCommand: String
    public var baseline: TestResult
    public var diff: String
    public var branch: String?
    public var nothingToFix: Bool

    public init(
        outcome: RunOutcome? = nil, repository: String, baseCommit: String?, testCommand: String,
        baseline: TestResult, diff: String, branch: String? = nil, nothingToFix: Bool
    ) {
        self.outcome = outcome
        self.repository = repository
        self.baseCommit = baseCommit
        self.testCommand = testCommand
        self.baseline = baseline
        self.diff = diff
        self.branch = branch
        self.nothingToFix = nothingToFix
    }

    enum Keys: CodingKey {
        case repository, baseCommit, testCommand, baseline, diff, branch, nothingToFix
    }

    public func encode(to encoder: any Encoder) throws {
        // With nothing to fix there was no run: the document still has every key, as a run that needed nothing.
        try (outcome ?? Self.unchanged(baseline)).encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(repository, forKey: .repository)
        try container.encode(baseCommit, forKey: .baseCommit)
        try container.encode(testCommand, forKey: .testCommand)
        try container.encode(baseline, forKey: .baseline)
        try container.encode(diff, forKey: .diff)
        try container.encode(branch, forKey: .branch)
        try container.encode(nothingToFix, forKey: .nothingToFix)
    }

    /// The outcome of a fix that had nothing to do: solved by the baseline, no iteration, nothing recorded.
    static func unchanged(_ baseline: TestResult) -> RunOutcome {
        var outcome = RunOutcome(
            runID: "", solved: baseline.passed, stopReason: .testsPassed, iterations: 0, steps: [], finalFiles: [],
            testResult: baseline, usage: .zero, durationMs: baseline.durationMs,
            stopDetail: "The tests already pass: nothing to fix.")
        outcome.isRecorded = false
        return outcome
    }
}
