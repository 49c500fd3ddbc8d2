/// Progress of a run, published as it happens.
public enum CodingEvent: Hashable, Sendable {
    /// The loop began generating (``StepType/generate``, ``StepType/fix``) or testing (``StepType/test``).
    case started(StepType, iteration: Int)
    /// The generator answered (before its attempt is checked and tested).
    case generated(GeneratorCall)
    /// The tests of an iteration finished.
    case tested(TestResult, iteration: Int)
    /// An iteration is complete and recorded.
    case stepFinished(CodingStep)
    /// The run is over; this is always the last event.
    case finished(RunOutcome)
}
