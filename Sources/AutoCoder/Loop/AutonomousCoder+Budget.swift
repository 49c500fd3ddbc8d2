import Foundation

extension AutonomousCoder {
    /// Why the next `calls` generator calls must not be made, or `nil` when the budgets allow them: each call is
    /// counted at its prompt estimate plus the longest reply it may give, so no budget is ever exceeded.
    func budgetProblem(calls: Int, promptTokens: Int, _ state: RunState) -> String? {
        let callText = calls == 1 ? "The next call" : "The next \(calls) calls"
        if let maxTokens = policy.maxTokens {
            let used = state.usage.promptTokens + state.usage.completionTokens
            let needed = (promptTokens + policy.maxReplyTokens) * calls
            if used + needed > maxTokens {
                return "\(callText) could use up to \(needed) tokens, and \(max(0, maxTokens - used)) of the "
                    + "\(maxTokens)-token budget are left"
            }
        }
        if let maxCost = policy.maxCostUSD, let pricing = policy.pricing {
            let spent = state.usage.costUSD ?? 0
            let needed =
                pricing.cost(promptTokens: promptTokens, completionTokens: policy.maxReplyTokens) * Double(calls)
            if spent + needed > maxCost {
                return String(
                    format: "%@ could cost up to $%.4f, and $%.4f of the $%.2f budget is left", callText, needed,
                    max(0, maxCost - spent), maxCost)
            }
        }
        return nil
    }

    /// The attempt's usage: as the generator reported it, else estimated from the request and the reply (and
    /// marked estimated); priced with the policy's prices when the generator gave no cost.
    func accountedUsage(_ attempt: Attempt, requestText: String) -> Usage {
        var usage =
            attempt.usage
            ?? Usage(
                promptTokens: TokenEstimate.tokens(in: requestText),
                completionTokens: TokenEstimate.tokens(in: attempt.reply ?? attempt.files.map(\.content).joined()),
                estimated: true)
        if usage.costUSD == nil, let pricing = policy.pricing {
            usage.costUSD = pricing.cost(promptTokens: usage.promptTokens, completionTokens: usage.completionTokens)
        }
        return usage
    }
}
