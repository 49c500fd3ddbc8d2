import AutoCoder

/// One problem of a task set: a task, and the solutions an oracle answers with.
public struct BenchProblem: Codable, Hashable, Sendable {
    /// The problem's name (its directory's).
    public var id: String
    public var task: CodingTask
    /// The reference solution's files (from `solution/`), if the set has one.
    public var reference: [CodeFile]
    /// A wrong solution's files (from `broken/`), if the set has one.
    public var broken: [CodeFile]

    public init(id: String, task: CodingTask, reference: [CodeFile], broken: [CodeFile]) {
        self.id = id
        self.task = task
        self.reference = reference
        self.broken = broken
    }
}
