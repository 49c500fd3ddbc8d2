/// One iteration of the loop as it happened: the attempt that was generated and the result of testing it.
public struct CodingStep: Codable, Hashable, Sendable {
    /// ``StepType/generate`` for the first attempt, ``StepType/fix`` for the later ones.
    public var type: StepType
    /// 1 for the first attempt.
    public var iteration: Int
    /// The complete set of solution files tested in this step.
    public var files: [CodeFile]
    /// The result of testing `files`.
    public var testResult: TestResult?
    /// Time spent generating and testing, in milliseconds.
    public var durationMs: Int
    /// Time spent in the generator alone, in milliseconds.
    public var generationMs: Int
    /// Tokens spent by the generator in this step.
    public var usage: Usage?
    /// The generator's raw reply.
    public var reply: String?

    public init(
        type: StepType,
        iteration: Int,
        files: [CodeFile],
        testResult: TestResult?,
        durationMs: Int,
        generationMs: Int,
        usage: Usage? = nil,
        reply: String? = nil
    ) {
        self.type = type
        self.iteration = iteration
        self.files = files
        self.testResult = testResult
        self.durationMs = durationMs
        self.generationMs = generationMs
        self.usage = usage
        self.reply = reply
    }
}
