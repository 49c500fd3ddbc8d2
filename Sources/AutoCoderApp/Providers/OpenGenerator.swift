import AutoCoder
import AutoCoderLLM

/// A generator opened for a session, with its names and prices, and what must be stopped when the session ends
/// (the local model's server).
public struct OpenGenerator: Sendable {
    public var generator: any CodeGenerator
    /// The provider's name, for records and messages.
    public var provider: String
    /// The model's name, for model providers.
    public var model: String?
    /// The model's list price, when the price table knows it.
    public var pricing: Pricing?
    /// The longest reply a call may ask for, for the loop's budget checks.
    public var maxReplyTokens = LoopPolicy().maxReplyTokens
    /// The local model's server, when this generator started one.
    var server: LocalModelServer?
    /// Makes a generator that starts from the beginning (a script's first reply), for runs that each need one.
    var restart: (@Sendable () throws -> any CodeGenerator)?

    public init(generator: any CodeGenerator, provider: String, model: String? = nil, pricing: Pricing? = nil) {
        self.generator = generator
        self.provider = provider
        self.model = model
        self.pricing = pricing
    }

    /// A generator for one more run: a new one for generators that keep a place (a script), else the same one.
    public func freshGenerator() throws -> any CodeGenerator {
        try restart?() ?? generator
    }

    /// Stops what the generator started.
    public func close() {
        server?.stop()
    }
}
