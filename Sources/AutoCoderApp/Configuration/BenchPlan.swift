import AutoCoder
import AutoCoderBench

/// A bench handed to a queue: what its problems run with (the run configuration and the bench's own settings), the
/// problems themselves (so that workers need no copy of the data set), and how often a problem may be claimed. The
/// queue keeps it without the problems, which it keeps one per row. It holds no credentials: workers open their
/// generators with their own environment.
public struct BenchPlan: Codable, Sendable {
    public var name: String
    public var configuration: RunConfiguration
    public var bench: BenchConfiguration
    /// The languages of the problems, for the runtimes a worker warms up.
    public var languages: [Language]
    /// Claims per problem before it is marked failed (`--max-attempts`).
    public var maxAttempts: Int
    public var problems: [BenchProblem]

    public static let defaultMaxAttempts = 3

    public init(
        name: String, configuration: RunConfiguration, bench: BenchConfiguration, maxAttempts: Int,
        problems: [BenchProblem]
    ) {
        self.name = name
        self.configuration = configuration
        self.bench = bench
        self.languages = Set(problems.map(\.task.language)).sorted()
        self.maxAttempts = maxAttempts
        self.problems = problems
    }
}
