import AutoCoder

/// How the loop is guarded: iterations, regressions, stalls, candidates, flaky tests and budgets.
public struct LoopSettings: Codable, Hashable, Sendable {
    /// The most attempts, the first one and each fix (default 5). A `solve` lays it over the task's own limit; a
    /// `bench` gives it to the problems that set none.
    public var maxIterations: Int?
    public var revertOnRegression: Bool
    /// Stop when the same failures come back this many times in a row (default 3).
    public var stallLimit: Int?
    public var maxTokens: Int?
    public var maxCostUSD: Double?
    /// Prices in US dollars per million tokens, over the price table's.
    public var priceIn: Double?
    public var priceOut: Double?
    public var maxTimeSeconds: Double?
    /// The most tokens of test feedback in a fix prompt (default 2000).
    public var feedbackTokens: Int?
    /// First attempts asked for at once (default 1).
    public var candidates: Int?
    public var rerunFailures: Bool

    public init(
        maxIterations: Int? = nil, revertOnRegression: Bool = true, stallLimit: Int? = nil, maxTokens: Int? = nil,
        maxCostUSD: Double? = nil, priceIn: Double? = nil, priceOut: Double? = nil, maxTimeSeconds: Double? = nil,
        feedbackTokens: Int? = nil, candidates: Int? = nil, rerunFailures: Bool = true
    ) {
        self.maxIterations = maxIterations
        self.revertOnRegression = revertOnRegression
        self.stallLimit = stallLimit
        self.maxTokens = maxTokens
        self.maxCostUSD = maxCostUSD
        self.priceIn = priceIn
        self.priceOut = priceOut
        self.maxTimeSeconds = maxTimeSeconds
        self.feedbackTokens = feedbackTokens
        self.candidates = candidates
        self.rerunFailures = rerunFailures
    }

    public static let defaultMaxIterations = 5
    public static let defaultFeedbackTokens = 2000

    /// The loop policy, with prices from `priceIn`/`priceOut`, else `listPrice` (the price table's entry).
    /// - Throws: ``SessionError/badInput(_:)`` for a cost budget without prices.
    public func policy(
        listPrice: Pricing? = nil, maxReplyTokens: Int = LoopPolicy().maxReplyTokens
    ) throws(SessionError)
        -> LoopPolicy
    {
        let pricing = priceIn.map { Pricing(input: $0, output: priceOut ?? 0) } ?? listPrice
        if maxCostUSD != nil, pricing == nil {
            throw .badInput(
                "--max-cost needs prices to check each call before it is made: the model is not in the price table, "
                    + "so pass --price-in and --price-out.")
        }
        return LoopPolicy(
            revertOnRegression: revertOnRegression, stallLimit: stallLimit ?? 3,
            maxTime: maxTimeSeconds.map { .milliseconds(Int($0 * 1000)) }, maxTokens: maxTokens,
            maxCostUSD: maxCostUSD, candidates: candidates ?? 1, rerunFailures: rerunFailures,
            maxReplyTokens: maxReplyTokens, pricing: pricing)
    }

    /// The feedback a fix prompt carries, within `feedbackTokens` (about four characters a token).
    public var feedbackFormatter: FeedbackFormatter {
        FeedbackFormatter(characterBudget: (feedbackTokens ?? Self.defaultFeedbackTokens) * 4)
    }
}
