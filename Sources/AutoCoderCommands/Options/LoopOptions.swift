import ArgumentParser
import AutoCoder
import AutoCoderApp
import Foundation

/// How `solve` guards its loop: regressions, stalls, budgets, candidates, held-out and flaky tests.
struct LoopOptions: ParsableArguments {
    @Flag(help: "After a fix that breaks passing tests, keep fixing from it instead of the best attempt.")
    var noRevert = false

    @Option(
        parsing: .unconditional,
        help: "Stop (no_progress) when the same failures come back this many times in a row. (default: 3)")
    var stallLimit: Int?

    @Option(parsing: .unconditional, help: "Token budget for the whole run; a call that could go past it is not made.")
    var maxTokens: Int?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Cost budget in US dollars (prices: the price table, or --price-in/--price-out).", valueName: "usd"))
    var maxCost: Double?

    @Option(
        parsing: .unconditional, help: ArgumentHelp("Price of prompt tokens, US dollars per million.", valueName: "usd")
    )
    var priceIn: Double?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Price of completion tokens, US dollars per million.", valueName: "usd"))
    var priceOut: Double?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Time budget for the whole run; work in flight is stopped.", valueName: "seconds"))
    var maxTime: Double?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "The most tokens of test feedback in a fix prompt; what is left out is said. (default: 2000)",
            valueName: "tokens"))
    var feedbackTokens: Int?

    @Option(
        parsing: .unconditional, help: "How many first attempts to ask for at once; the best one is kept. (default: 1)")
    var candidates: Int?

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp(
            "Held-out test files: never shown to the generator, run on the final code.", valueName: "file"))
    var holdout: [String] = []

    @Flag(help: "Do not re-run a failing test run to find flaky tests.")
    var noRerun = false

    func validate() throws {
        if let stallLimit, stallLimit < 1 {
            throw ValidationError("--stall-limit must be at least 1 (it is \(stallLimit)).")
        }
        if let maxTokens, maxTokens < 1 {
            throw ValidationError("--max-tokens must be at least 1 (it is \(maxTokens)).")
        }
        if let maxCost, !(maxCost > 0) { throw ValidationError("--max-cost must be above 0 (it is \(maxCost)).") }
        if let maxTime, !(maxTime > 0) {
            throw ValidationError("--max-time must be above 0 seconds (it is \(maxTime)).")
        }
        if let candidates, !(1...16).contains(candidates) {
            throw ValidationError("--candidates must be between 1 and 16 (it is \(candidates)).")
        }
        for price in [priceIn, priceOut].compactMap({ $0 }) where price < 0 {
            throw ValidationError("Prices cannot be negative (\(price)).")
        }
        if (priceIn == nil) != (priceOut == nil) { throw ValidationError("Give --price-in and --price-out together.") }
        if let feedbackTokens, feedbackTokens < 100 {
            throw ValidationError("--feedback-tokens must be at least 100 (it is \(feedbackTokens)).")
        }
    }

    /// The loop settings the flags describe (`maxIterations` comes from the command's own flag).
    func settings(maxIterations: Int?) -> LoopSettings {
        LoopSettings(
            maxIterations: maxIterations, revertOnRegression: !noRevert, stallLimit: stallLimit, maxTokens: maxTokens,
            maxCostUSD: maxCost, priceIn: priceIn, priceOut: priceOut, maxTimeSeconds: maxTime,
            feedbackTokens: feedbackTokens, candidates: candidates, rerunFailures: !noRerun)
    }
}
