import Foundation

extension AutonomousCoder {
    /// How long each of the next `calls` replies may be: the policy's reply cap, lowered until every call, at
    /// its prompt estimate (`promptTokens`, calibrated by the replies so far: ``RunState/calibratedPrompt(_:)``)
    /// plus that many reply tokens, fits what is left of the token and cost budgets. The
    /// generator is told the number (``GenerationRequest/replyTokens``), so no budget is ever exceeded, and a small
    /// budget still makes calls. `.exhausted` says why not even ``GenerationContext/minimumReplyTokens`` fit.
    func replyAllowance(calls: Int, promptTokens: Int, _ state: RunState) -> ReplyAllowance {
        let callText = calls == 1 ? "The next call" : "Each of the next \(calls) calls"
        let minimum = GenerationContext.minimumReplyTokens
        var allowance = policy.maxReplyTokens
        if let maxTokens = policy.maxTokens {
            let left = max(0, maxTokens - state.usage.promptTokens - state.usage.completionTokens)
            let fits = left / calls - promptTokens
            if fits < minimum {
                return .exhausted(
                    "\(callText) needs about \(promptTokens) prompt tokens and at least \(minimum) reply tokens, "
                        + "and \(left) of the \(maxTokens)-token budget are left")
            }
            allowance = min(allowance, fits)
        }
        if let maxCost = policy.maxCostUSD, let pricing = policy.pricing {
            let left = max(0, maxCost - (state.usage.costUSD ?? 0))
            let perCall = left / Double(calls) - pricing.cost(promptTokens: promptTokens, completionTokens: 0)
            let perReplyToken = pricing.cost(promptTokens: 0, completionTokens: 1)
            let fits = perReplyToken > 0 ? Int((perCall / perReplyToken).rounded(.down)) : (perCall >= 0 ? .max : -1)
            if fits < minimum {
                return .exhausted(
                    String(
                        format: "%@ costs about $%.4f for its prompt and $%.4f for %d reply tokens, and $%.4f of the "
                            + "$%.2f budget is left", callText,
                        pricing.cost(promptTokens: promptTokens, completionTokens: 0), perReplyToken * Double(minimum),
                        minimum, left, maxCost))
            }
            allowance = min(allowance, fits)
        }
        return .tokens(allowance)
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

/// What the budgets leave for the next calls.
enum ReplyAllowance {
    /// Each reply may be this many tokens long.
    case tokens(Int)
    /// Not even the shortest reply fits; the text says the numbers.
    case exhausted(String)
}

/// What the loop's calls of a generator share. What one call is for (its iteration, the most tokens its reply may
/// have) travels in its ``GenerationRequest``.
public enum GenerationContext {
    /// The shortest reply a call is made for: below it, the budget counts as spent.
    public static let minimumReplyTokens = 16
}
