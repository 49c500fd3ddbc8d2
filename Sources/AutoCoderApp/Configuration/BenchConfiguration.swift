import AutoCoder
import AutoCoderBench

/// What a benchmark runs: the data set, which of its problems, how many at once, and who answers.
public struct BenchConfiguration: Codable, Hashable, Sendable {
    /// `humaneval`, a directory of task directories, or the name of one under `./benchmarks`.
    public var dataset: String
    /// `canonical` or `broken`: answer with the set's own solutions instead of a generator.
    public var oracle: Oracle?
    /// Run at most this many problems, after skipping `offset`.
    public var limit: Int?
    public var offset: Int
    /// Problems run at once (default: the number of cores).
    public var jobs: Int?
    /// Change each problem's tests so that they contradict its description (every pass is then a cheat).
    public var impossible: Bool
    /// Record each problem's run in the store.
    public var record: Bool
    /// How `dataset` is read; `nil` is ``Format/tasks``.
    public var format: Format?
    /// For Exercism's layouts: the tracks to run (`nil`: every track a toolchain runs).
    public var languages: [Language]?
    /// For Exercism's layouts: show the tests' code in the prompts (Aider's protocol, the default, does not).
    public var showTests: Bool?
    /// Run only this part of the selected problems (`--shard K/N`).
    public var shard: BenchShard?

    /// The layouts a data set can have.
    public enum Format: String, Codable, Hashable, Sendable {
        /// `humaneval`, or a directory of task directories.
        case tasks
        /// A checkout of Aider's polyglot benchmark: `<track>/exercises/practice/<slug>/`.
        case polyglot
        /// One Exercism track's checkout: `exercises/practice/<slug>/`.
        case exercism
    }

    public enum Oracle: String, Codable, Hashable, Sendable, CaseIterable {
        case canonical
        case broken
    }

    public init(
        dataset: String, oracle: Oracle? = nil, limit: Int? = nil, offset: Int = 0, jobs: Int? = nil,
        impossible: Bool = false, record: Bool = false, format: Format? = nil, languages: [Language]? = nil
    ) {
        self.dataset = dataset
        self.oracle = oracle
        self.limit = limit
        self.offset = offset
        self.jobs = jobs
        self.impossible = impossible
        self.record = record
        self.format = format
        self.languages = languages
    }

    /// Aider's protocol for Exercism's exercises: two tries, the test output fed back between them.
    public static let exercismTries = 2

    /// The built-in data set's name.
    public static let humanEval = "humaneval"
}
