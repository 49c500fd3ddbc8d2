import AutoCoder

/// List prices of well-known models, in US dollars per million tokens, looked up by the longest matching
/// prefix of the model name (so `claude-sonnet-4-5-20250929` finds `claude-sonnet-4-5`).
///
/// Prices change: `--price-in`/`--price-out` override the table, and a model that is not in it has no cost.
public enum PriceTable {
    /// Model name prefix → (input, output) price per million tokens.
    public static let prices: [String: Pricing] = [
        "gpt-4o": Pricing(input: 2.50, output: 10.00),
        "gpt-4o-mini": Pricing(input: 0.15, output: 0.60),
        "gpt-4.1": Pricing(input: 2.00, output: 8.00),
        "gpt-4.1-mini": Pricing(input: 0.40, output: 1.60),
        "gpt-4.1-nano": Pricing(input: 0.10, output: 0.40),
        "gpt-5": Pricing(input: 1.25, output: 10.00),
        "gpt-5-mini": Pricing(input: 0.25, output: 2.00),
        "gpt-5-nano": Pricing(input: 0.05, output: 0.40),
        "o3-mini": Pricing(input: 1.10, output: 4.40),
        "o4-mini": Pricing(input: 1.10, output: 4.40),
        "claude-3-haiku": Pricing(input: 0.25, output: 1.25),
        "claude-3-5-haiku": Pricing(input: 0.80, output: 4.00),
        "claude-haiku-4-5": Pricing(input: 1.00, output: 5.00),
        "claude-3-5-sonnet": Pricing(input: 3.00, output: 15.00),
        "claude-3-7-sonnet": Pricing(input: 3.00, output: 15.00),
        "claude-sonnet-4": Pricing(input: 3.00, output: 15.00),
        "claude-opus-4": Pricing(input: 15.00, output: 75.00),
        "claude-opus-4-5": Pricing(input: 5.00, output: 25.00),
    ]

    /// The list price of `model`, or `nil` when the table does not know it. (A provider that runs models on this
    /// machine prices them at ``Pricing/free`` itself.)
    public static func pricing(model: String) -> Pricing? {
        let name = model.lowercased()
        let match = prices.keys.filter { name.hasPrefix($0) }.max { $0.count < $1.count }
        return match.flatMap { prices[$0] }
    }
}
