/// A generator made of two closures that return the solution file's code: the seed's plug-in shape.
public struct ClosureGenerator: CodeGenerator {
    /// Writes code from (description, test code).
    public typealias Generate = @Sendable (_ description: String, _ testCode: String) async throws -> String
    /// Rewrites code from (description, current code, error output).
    public typealias Fix =
        @Sendable (_ description: String, _ code: String, _ errorOutput: String) async throws -> String

    public var generateCode: Generate
    public var fixCode: Fix

    public init(generate: @escaping Generate, fix: @escaping Fix) {
        self.generateCode = generate
        self.fixCode = fix
    }

    public func generate(_ task: CodingTask) async throws -> Attempt {
        let code = try await generateCode(task.description, task.testCode)
        return Attempt(files: [CodeFile(path: task.solutionPath, content: code)])
    }

    public func fix(_ task: CodingTask, previous: Attempt, feedback: Feedback) async throws -> Attempt {
        let current = previous.files.first { $0.path == task.solutionPath }?.content ?? ""
        let code = try await fixCode(task.description, current, feedback.text)
        return Attempt(files: [CodeFile(path: task.solutionPath, content: code)])
    }
}
