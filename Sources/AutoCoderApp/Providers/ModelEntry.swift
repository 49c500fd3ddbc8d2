import AutoCoder
import AutoCoderLLM
import Foundation

extension OpenGenerator {
    /// A model provider's generator: its notices go to `context`, its replies are capped at the configuration's
    /// `maxReplyTokens` (else `defaultReplyTokens`), and its prices come from the price table, or are nothing for
    /// a model that runs on this machine (`local`).
    static func model(
        _ provider: some ChatProvider, configuration: GeneratorConfiguration, context: ProviderContext,
        defaultReplyTokens: Int = 4096, local: Bool = false
    ) -> OpenGenerator {
        var provider = provider
        provider.onNotice = context.notice
        let replyTokens = configuration.maxReplyTokens ?? defaultReplyTokens
        var opened = OpenGenerator(
            generator: ModelGenerator(provider: provider, languages: context.languages, maxReplyTokens: replyTokens),
            provider: provider.name, model: provider.model,
            pricing: local ? .free : PriceTable.pricing(model: provider.model))
        opened.maxReplyTokens = replyTokens
        return opened
    }
}

extension GeneratorConfiguration {
    /// `baseURL` as a URL (front ends check it is an http(s) URL).
    var url: URL? { baseURL.flatMap(URL.init(string:)) }
}
