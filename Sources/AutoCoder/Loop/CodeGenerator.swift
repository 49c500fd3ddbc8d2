/// Writes code for a task: a model provider, a script of recorded replies, or plain closures.
public protocol CodeGenerator: Sendable {
    /// Writes the first attempt from the task alone.
    func generate(_ task: CodingTask) async throws -> Attempt

    /// Writes a new attempt from the previous one and what its tests said.
    ///
    /// The returned files are laid over the previous attempt's, so a reply may contain only the files it changes.
    func fix(_ task: CodingTask, previous: Attempt, feedback: Feedback) async throws -> Attempt

    /// Writes one of several first attempts asked for at once; `variant` (0, 1, …) should make them differ (a
    /// model varies its temperature or seed). By default it is ``generate(_:)``.
    func generate(_ task: CodingTask, variant: Int) async throws -> Attempt

    /// Answers one call of the loop's: `request` says what the call is for (a first attempt or a fix, the
    /// iteration, the variant, the most tokens the reply may have). The loop calls only this. By default it is
    /// ``generate(_:)``, ``generate(_:variant:)`` or ``fix(_:previous:feedback:)``, which know nothing of the rest.
    func respond(to request: GenerationRequest) async throws -> Attempt
}

extension CodeGenerator {
    public func generate(_ task: CodingTask, variant: Int) async throws -> Attempt {
        try await generate(task)
    }

    public func respond(to request: GenerationRequest) async throws -> Attempt {
        if request.type == .fix, let feedback = request.previousFeedback {
            let previous = request.previousAttempt
            return try await fix(request.task, previous: previous, feedback: feedback)
        }
        if let variant = request.variant { return try await generate(request.task, variant: variant) }
        return try await generate(request.task)
    }
}
