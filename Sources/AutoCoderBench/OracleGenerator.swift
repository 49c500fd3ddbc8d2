import AutoCoder

/// A generator that answers every call with the same files: a task set's reference solution, or its wrong one.
public struct OracleGenerator: CodeGenerator {
    public var files: [CodeFile]

    public init(files: [CodeFile]) {
        self.files = files
    }

    public func generate(_ task: CodingTask) async throws -> Attempt {
        Attempt(files: files)
    }

    public func fix(_ task: CodingTask, previous: Attempt, feedback: Feedback) async throws -> Attempt {
        Attempt(files: files)
    }
}
