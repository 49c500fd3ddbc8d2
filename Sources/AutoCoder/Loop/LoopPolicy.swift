/// How the loop guards a run: against regressions, going round in circles, overspending, and flaky tests.
public struct LoopPolicy: Hashable, Sendable {
    /// When a fix makes a passing test fail, start the next fix from the best attempt (not the regressed one).
    public var revertOnRegression: Bool
    /// Stop with ``StopReason/noProgress`` when the same failures come back this many times in a row.
    public var stallLimit: Int
    /// The longest the whole run may take; past it the run stops with ``StopReason/timeout``.
    public var maxTime: Duration?
    /// The most tokens the run may spend; a call that could go past it is not made.
    public var maxTokens: Int?
    /// The most US dollars the run may spend; a call that could go past it is not made.
    public var maxCostUSD: Double?
    /// How many first attempts to ask for at once; the best is kept.
    public var candidates: Int
    /// Re-run a failing test run once, and report the tests that pass the second time as flaky.
    public var rerunFailures: Bool
    /// The longest reply a call is assumed to give, in tokens, when a budget is checked before it.
    public var maxReplyTokens: Int
    /// Prices in US dollars per million tokens, for generators that report no cost.
    public var pricing: Pricing?

    public init(
        revertOnRegression: Bool = true, stallLimit: Int = 3, maxTime: Duration? = nil, maxTokens: Int? = nil,
        maxCostUSD: Double? = nil, candidates: Int = 1, rerunFailures: Bool = true, maxReplyTokens: Int = 4096,
        pricing: Pricing? = nil
    ) {
        self.revertOnRegression = revertOnRegression
        self.stallLimit = stallLimit
        self.maxTime = maxTime
        self.maxTokens = maxTokens
        self.maxCostUSD = maxCostUSD
        self.candidates = candidates
        self.rerunFailures = rerunFailures
        self.maxReplyTokens = maxReplyTokens
        self.pricing = pricing
    }
}

/// Prices of a model, in US dollars per million tokens.
public struct Pricing: Hashable, Sendable {
    public var input: Double
    public var output: Double

    public init(input: Double, output: Double) {
        self.input = input
        self.output = output
    }

    /// A model that runs on this machine.
    public static let free = Pricing(input: 0, output: 0)

    /// The price of `promptTokens` in and `completionTokens` out.
    public func cost(promptTokens: Int, completionTokens: Int) -> Double {
        (Double(promptTokens) * input + Double(completionTokens) * output) / 1_000_000
    }
}

/// A rough token count for budgets when a generator reports none: about four characters a token.
public enum TokenEstimate {
    public static func tokens(in text: String) -> Int {
        (text.utf8.count + 3) / 4
    }
}
