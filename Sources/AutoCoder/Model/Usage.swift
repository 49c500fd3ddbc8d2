/// Tokens (and money) spent on model calls.
public struct Usage: Codable, Hashable, Sendable {
    public var promptTokens: Int
    public var completionTokens: Int
    /// The cost in US dollars, when a price is known.
    public var costUSD: Double?
    /// `true` when the counts were estimated rather than reported by the model's API.
    public var estimated: Bool

    public init(promptTokens: Int = 0, completionTokens: Int = 0, costUSD: Double? = nil, estimated: Bool = false) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.costUSD = costUSD
        self.estimated = estimated
    }

    /// No tokens, no cost.
    public static let zero = Usage()

    /// The sum of two usages; the cost is known only if it is known for both.
    public static func + (lhs: Usage, rhs: Usage) -> Usage {
        let cost: Double? =
            switch (lhs.costUSD, rhs.costUSD) {
            case let (l?, r?): l + r
            case let (l?, nil): l
            case let (nil, r?): r
            case (nil, nil): nil
            }
        return Usage(
            promptTokens: lhs.promptTokens + rhs.promptTokens,
            completionTokens: lhs.completionTokens + rhs.completionTokens,
            costUSD: cost,
            estimated: lhs.estimated || rhs.estimated
        )
    }
}
