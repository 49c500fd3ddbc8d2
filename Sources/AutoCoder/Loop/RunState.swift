/// What the loop knows about a run in progress: its steps, the best attempt so far, what it spent, what repeats.
struct RunState {
    let runID: String
    /// Where the run's replies stream to, handed to the generator in each request.
    let replyText: TextSink?
    let start = ContinuousClock.now
    var steps: [CodingStep] = []
    var usage = Usage.zero
    /// The best tested step so far: most tests passing, the later one on a tie.
    var best: CodingStep?
    /// The last step whose attempt reached the executor.
    var lastTested: CodingStep?
    var flakyTests: [String] = []
    var candidates: [CandidateSummary] = []
    /// How many of the provider's prompt tokens each of autocoder's estimated ones has turned out to be: the
    /// largest ratio any reply's reported usage showed (the generator's own instructions and the chat template are
    /// in the prompt the provider counts, not in the estimate). Never below 1.
    private(set) var promptScale = 1.0
    /// The failures of the last tested steps, while they stay the same.
    private var repeatedFailures: (signature: [String], count: Int)?

    init(runID: String, replyText: TextSink? = nil) {
        self.runID = runID
        self.replyText = replyText
    }

    /// Learns ``promptScale`` from a reply whose `usage` the provider reported for a prompt autocoder estimated at
    /// `estimatedPrompt` tokens.
    mutating func calibrate(with usage: Usage?, estimatedPrompt: Int) {
        guard let usage, !usage.estimated, estimatedPrompt > 0 else { return }
        promptScale = max(promptScale, Double(usage.promptTokens) / Double(estimatedPrompt))
    }

    /// A prompt of `estimate` estimated tokens, as the provider is likely to count it (``promptScale``).
    func calibratedPrompt(_ estimate: Int) -> Int {
        Int((Double(estimate) * promptScale).rounded(.up))
    }

    /// Records a step; a tested one may become the best.
    mutating func record(_ step: CodingStep, tested: Bool) {
        steps.append(step)
        guard tested, let result = step.testResult else { return }
        lastTested = step
        if let best, let bestResult = best.testResult, bestResult.numVerifiedPassed > result.numVerifiedPassed {
            return
        }
        best = step
    }

    /// The iteration of an earlier step with exactly these files, if any.
    func iteration(with files: [CodeFile]) -> Int? {
        steps.first { $0.files == files }?.iteration
    }

    /// The tests that passed in the best step so far and do not pass in `result`.
    func regressions(in result: TestResult) -> [String] {
        guard let bestResult = best?.testResult else { return [] }
        let now = Dictionary(result.tests.map { (Self.key($0), $0.outcome) }, uniquingKeysWith: { first, _ in first })
        return bestResult.tests.filter { $0.outcome == .passed }.map(Self.key).filter { now[$0] != .passed }
    }

    /// Counts `result`'s failures against the previous ones; how many times in a row they have now come back.
    mutating func repeatCount(of result: TestResult) -> Int {
        let signature =
            [result.outcome.rawValue, result.message ?? ""]
            + result.problems.map { "\(Self.key($0))\u{1}\($0.message ?? "")" }.sorted()
        let count = repeatedFailures?.signature == signature ? (repeatedFailures?.count ?? 0) + 1 : 1
        repeatedFailures = (signature, count)
        return count
    }

    /// The outcome of a run that stops now, keeping the passing step, or else the best one.
    func outcome(_ reason: StopReason, detail: String? = nil, error: String? = nil) -> RunOutcome {
        let kept = reason == .testsPassed ? lastTested : best
        return RunOutcome(
            runID: runID, solved: reason == .testsPassed, stopReason: reason, iterations: steps.count, steps: steps,
            finalFiles: kept?.files ?? [], testResult: kept?.testResult ?? steps.last?.testResult, usage: usage,
            error: error, durationMs: start.millisecondsElapsed, stopDetail: detail ?? error,
            bestIteration: kept?.iteration, flakyTests: flakyTests, candidates: candidates)
    }

    /// A sentence naming the attempt a stopping run keeps.
    var keptText: String {
        guard let best, let result = best.testResult else { return "no attempt was tested" }
        return "kept iteration \(best.iteration) (\(result.numPassed) of \(result.tests.count) tests passing)"
    }

    static func key(_ test: TestCase) -> String {
        test.suite.map { "\($0)::\(test.name)" } ?? test.name
    }

}
