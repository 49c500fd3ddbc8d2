/// What a generator is asked, as one value: the loop hands one to ``CodeGenerator/respond(to:)`` for each call,
/// with what the call is for (its iteration, its variant, the most tokens its reply may have), and generators that
/// hand the request to another program send it as JSON.
public struct GenerationRequest: Codable, Hashable, Sendable {
    /// ``StepType/generate`` for a first attempt, ``StepType/fix`` for a later one.
    public var type: StepType
    public var task: CodingTask
    /// The previous attempt's files (fix only).
    public var previousFiles: [CodeFile]?
    /// What the previous attempt's tests said, as text (fix only).
    public var feedback: String?
    /// The previous attempt's test result (fix only).
    public var testResult: TestResult?
    /// The loop's iteration the call is for (1 for the first attempt).
    public var iteration: Int = 1
    /// Which of several first attempts asked for at once this is (0, 1, …); `nil` for a call made alone.
    public var variant: Int?
    /// The most tokens the reply may have, when the loop's budgets cap it; `nil` for the generator's own limit.
    public var replyTokens: Int?
    /// The previous attempt itself (fix only); the JSON carries its files.
    public var previous: Attempt?
    /// Where a generator that streams hands the reply's text as it comes (a front end's `--events=deltas`); not in
    /// the JSON.
    public var replyText: TextSink?

    public init(
        type: StepType, task: CodingTask, previousFiles: [CodeFile]? = nil, feedback: Feedback? = nil,
        iteration: Int = 1, variant: Int? = nil, replyTokens: Int? = nil
    ) {
        self.type = type
        self.task = task
        self.previousFiles = previousFiles
        self.feedback = feedback?.text
        self.testResult = feedback?.testResult
        self.iteration = iteration
        self.variant = variant
        self.replyTokens = replyTokens
    }

    /// A fix of `previous` after `feedback`.
    public static func fix(
        _ task: CodingTask, previous: Attempt, feedback: Feedback, iteration: Int = 1, replyTokens: Int? = nil
    ) -> GenerationRequest {
        var request = GenerationRequest(
            type: .fix, task: task, previousFiles: previous.files, feedback: feedback, iteration: iteration,
            replyTokens: replyTokens)
        request.previous = previous
        return request
    }

    /// The previous attempt (fix only): itself when the loop gave it, else one made of its files.
    public var previousAttempt: Attempt {
        previous ?? Attempt(files: previousFiles ?? [])
    }

    /// The previous attempt's feedback (fix only).
    public var previousFeedback: Feedback? {
        testResult.map { Feedback(testResult: $0, text: feedback ?? "") }
    }

    enum CodingKeys: String, CodingKey {
        case type, task, feedback, iteration, variant, previousFiles, testResult, replyTokens
    }
}
