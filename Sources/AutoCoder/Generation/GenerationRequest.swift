/// What a generator is asked, as one value: used by generators that hand the request to another program.
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

    public init(type: StepType, task: CodingTask, previousFiles: [CodeFile]? = nil, feedback: Feedback? = nil) {
        self.type = type
        self.task = task
        self.previousFiles = previousFiles
        self.feedback = feedback?.text
        self.testResult = feedback?.testResult
    }

    enum CodingKeys: String, CodingKey {
        case type, task, feedback
        case previousFiles = "previous_files"
        case testResult = "test_result"
    }
}
