import AutoCoder

/// A ``CodeGenerator`` that asks a model: it writes the prompts, sends them through a ``ChatProvider``, and
/// parses the reply into files.
///
/// ```swift
/// let provider = OpenAIChatProvider(model: "gpt-4o-mini", baseURL: url, apiKey: key)
/// let coder = AutonomousCoder(
///     generator: ModelGenerator(provider: provider, languages: Toolchains.languages), executor: PytestExecutor())
/// ```
public struct ModelGenerator: CodeGenerator {
    public var provider: any ChatProvider
    public var prompts: PromptBuilder
    /// The most tokens a reply may have.
    public var maxReplyTokens: Int
    /// The sampling temperature of the first candidate; later candidates go up by 0.1 each.
    public var temperature: Double

    public init(
        provider: any ChatProvider, languages: LanguageCatalog, maxReplyTokens: Int = 4096, temperature: Double = 0.2
    ) {
        self.provider = provider
        self.prompts = PromptBuilder(languages: languages)
        self.maxReplyTokens = maxReplyTokens
        self.temperature = temperature
    }

    public func generate(_ task: CodingTask) async throws -> Attempt {
        try await respond(to: GenerationRequest(type: .generate, task: task))
    }

    public func generate(_ task: CodingTask, variant: Int) async throws -> Attempt {
        try await respond(to: GenerationRequest(type: .generate, task: task, variant: variant))
    }

    public func fix(_ task: CodingTask, previous: Attempt, feedback: Feedback) async throws -> Attempt {
        try await respond(to: .fix(task, previous: previous, feedback: feedback))
    }

    /// A first attempt's temperature goes up by 0.1 with each variant, with the variant's seed; a fix's goes up by
    /// 0.15 with each iteration (up to 1), so that a model that keeps giving the same wrong answer at a low
    /// temperature gets to try others, with a new seed each iteration. The reply is capped at `maxReplyTokens`,
    /// or at less when the loop's budgets leave less.
    public func respond(to request: GenerationRequest) async throws -> Attempt {
        let replyTokens = min(maxReplyTokens, request.replyTokens ?? maxReplyTokens)
        let task = request.task
        if request.type == .fix, let feedback = request.previousFeedback {
            let previous = request.previousAttempt
            let chat = ChatRequest(
                messages: prompts.fix(for: task, previous: previous, feedback: feedback), maxTokens: replyTokens,
                temperature: min(1, temperature + 0.15 * Double(max(0, request.iteration - 1))),
                seed: request.iteration, replyText: request.replyText)
            return try await attempt(for: chat, task: task, previous: previous.files)
        }
        let variant = request.variant ?? 0
        let chat = ChatRequest(
            messages: prompts.firstAttempt(for: task), maxTokens: replyTokens,
            temperature: min(temperature + 0.1 * Double(variant), 1), seed: 1 + variant, replyText: request.replyText)
        return try await attempt(for: chat, task: task)
    }

    private func attempt(
        for request: ChatRequest, task: CodingTask, previous: [CodeFile] = []
    ) async throws -> Attempt {
        var reply = try await provider.complete(request)
        if reply.usage == nil {
            // The API reported no counts (llama.cpp's server does not, when streaming): estimate them from what
            // was really sent and received.
            reply.usage = Usage(
                promptTokens: TokenEstimate.tokens(in: request.messages.map(\.content).joined(separator: "\n")),
                completionTokens: TokenEstimate.tokens(in: reply.text), estimated: true)
        }
        var attempt = ReplyParser(task: task, languages: prompts.languages).attempt(
            from: reply.text, usage: reply.usage)
        if !reply.wasCutOff, attempt.problem != nil, attempt.files.isEmpty {
            // The model ended its reply on purpose without closing the fence (small models often do): the code
            // is whole, so the block is read as if it were closed.
            let ending = reply.text.hasSuffix("\n") ? "```\n" : "\n```\n"
            let closed = ReplyParser(task: task, languages: prompts.languages).attempt(
                from: reply.text + ending, usage: reply.usage)
            if closed.problem == nil { attempt = closed }
        }
        if reply.wasCutOff, attempt.problem == nil, !reply.text.contains("```") {
            attempt.problem =
                "The reply was cut off at the \(request.maxTokens)-token limit before the code was complete. "
                + "Reply with shorter code."
        }
        return attempt
    }
}
