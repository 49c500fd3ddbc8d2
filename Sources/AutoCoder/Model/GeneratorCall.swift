/// One call to the generator, as it happened: what it was told and what it answered.
public struct GeneratorCall: Codable, Hashable, Sendable {
    /// ``StepType/generate`` or ``StepType/fix``.
    public var type: StepType
    public var iteration: Int
    /// The feedback the generator was given (fix calls only).
    public var feedback: String?
    /// The attempt as the generator returned it, before it was laid over the previous attempt's files.
    public var attempt: Attempt
    /// How long the call took, in milliseconds.
    public var latencyMs: Int

    public init(type: StepType, iteration: Int, feedback: String?, attempt: Attempt, latencyMs: Int) {
        self.type = type
        self.iteration = iteration
        self.feedback = feedback
        self.attempt = attempt
        self.latencyMs = latencyMs
    }
}
