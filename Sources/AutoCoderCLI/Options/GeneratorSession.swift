import AutoCoder
import AutoCoderLLM

/// The generator of one command, and what must be stopped when the command ends (the local model's server).
struct GeneratorSession: Sendable {
    var generator: any CodeGenerator
    /// The provider's name, for records and messages.
    var provider: String
    /// The model's name, for model providers.
    var model: String?
    /// The model's list price, when the price table knows it.
    var pricing: Pricing?
    /// The local model's server, when this session started one.
    var server: LocalModelServer?
    /// The longest reply a call may ask for (`--max-reply-tokens`), for the loop's budget checks.
    var maxReplyTokens = LoopPolicy().maxReplyTokens
    /// Makes a generator that starts from the beginning (a script's first reply), for runs that each need one.
    var restart: (@Sendable () throws -> any CodeGenerator)?

    init(
        generator: any CodeGenerator, provider: String, model: String? = nil, pricing: Pricing? = nil,
        server: LocalModelServer? = nil
    ) {
        self.generator = generator
        self.provider = provider
        self.model = model
        self.pricing = pricing
        self.server = server
    }

    /// A generator for one more run: a new one for generators that keep a place (a script), else the same one.
    func freshGenerator() throws -> any CodeGenerator {
        try restart?() ?? generator
    }

    /// Stops what the session started.
    func close() {
        server?.stop()
    }
}
