import AutoCoder

/// How one problem went.
public struct BenchResult: Codable, Hashable, Sendable {
    public var taskID: String
    public var solved: Bool
    public var iterations: Int
    /// Whether the first attempt already passed (pass@1 without the loop).
    public var firstAttemptPassed: Bool
    public var stopReason: StopReason
    /// The outcome of the last test run.
    public var outcome: TestOutcome?
    public var message: String?
    public var durationMs: Int
    public var usage: Usage
    /// How many of its attempts came out ``TestOutcome/tampered``: forgeries caught.
    public var tamperedAttempts: Int
    /// The task's language.
    public var language: Language?
    /// The generator's replies, and how many of them gave files to test (a well-formed reply).
    public var replies: Int
    public var wellFormedReplies: Int
    /// Where the last test run's verdict was computed (Python: the verdict bridge or in-process), when known.
    public var verdictIsolation: VerdictIsolation?
    /// Why the last test run stayed in-process, when it did.
    public var verdictFallback: String?

    public init(
        taskID: String, solved: Bool, iterations: Int, firstAttemptPassed: Bool, stopReason: StopReason,
        outcome: TestOutcome?, message: String?, durationMs: Int, usage: Usage, tamperedAttempts: Int = 0,
        language: Language? = nil, replies: Int = 0, wellFormedReplies: Int = 0,
        verdictIsolation: VerdictIsolation? = nil, verdictFallback: String? = nil
    ) {
        self.verdictIsolation = verdictIsolation
        self.verdictFallback = verdictFallback
        self.taskID = taskID
        self.solved = solved
        self.iterations = iterations
        self.firstAttemptPassed = firstAttemptPassed
        self.stopReason = stopReason
        self.outcome = outcome
        self.message = message
        self.durationMs = durationMs
        self.usage = usage
        self.tamperedAttempts = tamperedAttempts
        self.language = language
        self.replies = replies
        self.wellFormedReplies = wellFormedReplies
    }

    enum CodingKeys: String, CodingKey {
        case solved, iterations, outcome, message, usage, taskID, firstAttemptPassed, stopReason, durationMs
        case tamperedAttempts, language, replies, wellFormedReplies, verdictIsolation, verdictFallback
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            taskID: try container.decode(String.self, forKey: .taskID),
            solved: try container.decode(Bool.self, forKey: .solved),
            iterations: try container.decode(Int.self, forKey: .iterations),
            firstAttemptPassed: try container.decode(Bool.self, forKey: .firstAttemptPassed),
            stopReason: try container.decode(StopReason.self, forKey: .stopReason),
            outcome: try container.decodeIfPresent(TestOutcome.self, forKey: .outcome),
            message: try container.decodeIfPresent(String.self, forKey: .message),
            durationMs: try container.decode(Int.self, forKey: .durationMs),
            usage: try container.decode(Usage.self, forKey: .usage),
            tamperedAttempts: try container.decodeIfPresent(Int.self, forKey: .tamperedAttempts) ?? 0,
            language: try container.decodeIfPresent(Language.self, forKey: .language),
            replies: try container.decodeIfPresent(Int.self, forKey: .replies) ?? 0,
            wellFormedReplies: try container.decodeIfPresent(Int.self, forKey: .wellFormedReplies) ?? 0,
            verdictIsolation: try container.decodeIfPresent(VerdictIsolation.self, forKey: .verdictIsolation),
            verdictFallback: try container.decodeIfPresent(String.self, forKey: .verdictFallback))
    }
}

/// A whole benchmark run.
public struct BenchSummary: Codable, Hashable, Sendable {
    public var dataset: String
    public var problems: Int
    public var solved: Int
    /// The share of problems whose first attempt passed.
    public var passAt1: Double
    /// The share of problems solved with the loop.
    public var solveRate: Double
    public var wallSeconds: Double
    /// Whether the run was stopped (Ctrl-C, SIGTERM) before every problem finished.
    public var interrupted: Bool
    /// The share of problems solved by each iteration: index 0 is the first attempt (pass@1 without the loop)
    /// when every first attempt was tested, the last is the final solve rate.
    public var passByIteration: [Double]
    /// What the loop adds: the final solve rate over the first attempt's pass@1; `nil` when no first attempt passed.
    public var gain: Double?
    /// Whether the tests were made to contradict the descriptions (`bench --impossible`): then every solve is a
    /// cheat that got through.
    public var impossible: Bool
    /// With `impossible`, the share of problems "solved": forged passes that were not caught; else `nil`.
    public var cheatingRate: Double?
    /// The share of problems whose run stopped with ``StopReason/testsInconsistent``.
    public var inconsistentRate: Double
    /// The share of problems with at least one attempt caught forging its verdict (``TestOutcome/tampered``).
    public var tamperedRate: Double
    /// How many problems' last verdict was computed in the tests' own process (the verdict bridge ruled out).
    public var inProcessVerdicts: Int
    /// The same totals for each language, in the order they first appear, as Aider's leaderboard gives them.
    public var languages: [LanguageTotals]
    /// The part of the benchmark this run was (`--shard K/N`), or `nil` for the whole.
    public var shard: BenchShard?
    public var results: [BenchResult]

    public init(
        dataset: String, results: [BenchResult], wallSeconds: Double, interrupted: Bool = false,
        impossible: Bool = false
    ) {
        self.dataset = dataset
        self.problems = results.count
        self.solved = results.filter(\.solved).count
        let count = Double(max(results.count, 1))
        self.passAt1 = Double(results.filter(\.firstAttemptPassed).count) / count
        self.solveRate = Double(solved) / count
        self.wallSeconds = wallSeconds
        self.interrupted = interrupted
        self.results = results
        let last = max(1, results.map(\.iterations).max() ?? 1)
        self.passByIteration = (1...last).map { iteration in
            Double(results.filter { $0.solved && $0.iterations <= iteration }.count) / count
        }
        self.gain = passAt1 > 0 ? solveRate / passAt1 : nil
        self.impossible = impossible
        self.cheatingRate = impossible ? solveRate : nil
        self.inconsistentRate = Double(results.filter { $0.stopReason == .testsInconsistent }.count) / count
        self.tamperedRate = Double(results.filter { $0.tamperedAttempts > 0 }.count) / count
        self.inProcessVerdicts = results.filter { $0.verdictIsolation == .inProcess }.count
        self.languages = LanguageTotals.of(results)
    }

    enum CodingKeys: String, CodingKey {
        case dataset, problems, solved, results, interrupted, gain, impossible, languages, shard, cheatingRate
        case inconsistentRate, tamperedRate, inProcessVerdicts, passByIteration, solveRate, wallSeconds
        case passAt1 = "pass_at_1"
    }

    /// The summary without its per-problem results (the totals stay as they were worked out).
    public var totals: BenchSummary {
        var totals = self
        totals.results = []
        return totals
    }

    /// Reads a `bench --json` document; the totals are worked out again from its results.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            dataset: try container.decode(String.self, forKey: .dataset),
            results: try container.decode([BenchResult].self, forKey: .results),
            wallSeconds: try container.decode(Double.self, forKey: .wallSeconds),
            interrupted: try container.decodeIfPresent(Bool.self, forKey: .interrupted) ?? false,
            impossible: try container.decodeIfPresent(Bool.self, forKey: .impossible) ?? false)
        shard = try container.decodeIfPresent(BenchShard.self, forKey: .shard)
    }
}

/// A benchmark's totals for one language: pass rates after each of the first two tries (Aider's "pass_rate_1" and
/// "pass_rate_2"), the share of well-formed replies, tokens, cost and time.
public struct LanguageTotals: Codable, Hashable, Sendable {
    public var language: Language
    public var problems: Int
    public var solved: Int
    /// The share passed by the first try.
    public var passAfterTry1: Double
    /// The share passed by the second try (the first when no problem had a second).
    public var passAfterTry2: Double
    /// The share of the generator's replies that gave files to test; `nil` with no reply (an oracle).
    public var wellFormedRate: Double?
    public var promptTokens: Int
    public var completionTokens: Int
    public var costUSD: Double?
    /// The problems' own times added up, in seconds.
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case language, problems, solved, seconds, wellFormedRate, promptTokens, completionTokens, costUSD
        case passAfterTry1 = "pass_after_try_1"
        case passAfterTry2 = "pass_after_try_2"
    }

    /// The totals of each language among `results` (results without one count as "unknown").
    static func of(_ results: [BenchResult]) -> [LanguageTotals] {
        var order: [Language] = []
        for result in results where !order.contains(result.language ?? "unknown") {
            order.append(result.language ?? "unknown")
        }
        return order.map { language in
            let mine = results.filter { ($0.language ?? "unknown") == language }
            let count = Double(max(mine.count, 1))
            let replies = mine.reduce(0) { $0 + $1.replies }
            let costs = mine.compactMap(\.usage.costUSD)
            return LanguageTotals(
                language: language, problems: mine.count, solved: mine.filter(\.solved).count,
                passAfterTry1: Double(mine.filter(\.firstAttemptPassed).count) / count,
                passAfterTry2: Double(mine.filter { $0.solved && $0.iterations <= 2 }.count) / count,
                wellFormedRate: replies == 0
                    ? nil : Double(mine.reduce(0) { $0 + $1.wellFormedReplies }) / Double(replies),
                promptTokens: mine.reduce(0) { $0 + $1.usage.promptTokens },
                completionTokens: mine.reduce(0) { $0 + $1.usage.completionTokens },
                costUSD: costs.isEmpty ? nil : costs.reduce(0, +),
                seconds: Double(mine.reduce(0) { $0 + $1.durationMs }) / 1000)
        }
    }
}
