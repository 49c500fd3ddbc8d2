import AutoCoder
import AutoCoderApp
import AutoCoderTestSupport
import Foundation
import Testing

@Suite struct ProvidersTests {
    func chosen(_ environment: [String: String]) async -> String {
        await Providers.automaticChoice(ProviderContext(environment: environment)).name
    }

    @Test func theAutomaticChoiceFollowsTheKeysThenOllamaThenTheLocalModel() async throws {
        let nowhere = ["OLLAMA_HOST": "127.0.0.1:9"]
        #expect(await chosen(nowhere) == "local")
        var both = nowhere
        both["OPENAI_API_KEY"] = "sk-1"
        #expect(await chosen(both) == "openai")
        both["ANTHROPIC_API_KEY"] = "sk-2"
        #expect(await chosen(both) == "anthropic")
        let server = try TestHTTPServer(always: .json(#"{"models":[]}"#, status: 200))
        #expect(await chosen(["OLLAMA_HOST": "127.0.0.1:\(server.port)"]) == "ollama")
    }

    @Test func namesAreUniqueAndAnUnknownOneListsTheKnown() throws {
        let names = Providers.all.map(\.name)
        #expect(Set(names).count == names.count)
        for name in names { #expect(try Providers.named(name.uppercased()).name == name) }
        #expect(throws: SessionError.badInput("unknown provider 'nope'; known providers: \(Providers.names).")) {
            try Providers.named("nope")
        }
    }

    @Test func aScriptOrCommandWithAnotherProviderIsRefused() {
        #expect(
            GeneratorConfiguration(provider: "openai", script: "s.json").problem?.contains("--script goes with") == true
        )
        #expect(GeneratorConfiguration(script: "s.json", command: "c").problem?.contains("two different") == true)
        #expect(GeneratorConfiguration(script: "s.json").problem == nil)
    }

    @Test func modelsOnThisMachineCostNothingAndOthersTakeTheListPrice() async throws {
        let context = ProviderContext(environment: ["OLLAMA_HOST": "127.0.0.1:9", "OPENAI_API_KEY": "sk-test"])
        let ollama = try await Providers.open(
            GeneratorConfiguration(provider: "ollama", model: "qwen2.5-coder"), context: context)
        #expect(ollama.provider == "ollama" && ollama.pricing == .free)
        let openAI = try await Providers.open(
            GeneratorConfiguration(provider: "openai", model: "gpt-4o-mini"), context: context)
        #expect(openAI.pricing == Pricing(input: 0.15, output: 0.60))
        let unknown = try await Providers.open(
            GeneratorConfiguration(provider: "openai", model: "my-finetune"), context: context)
        #expect(unknown.pricing == nil)
    }
}
