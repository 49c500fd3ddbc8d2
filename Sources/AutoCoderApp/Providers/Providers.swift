import AutoCoder
import AutoCoderExecution
import AutoCoderLLM
import Foundation

/// One way to get a generator: a model provider, a script, a command.
public protocol GeneratorProvider: Sendable {
    /// The name users choose it by (`--provider NAME`).
    var name: String { get }
    /// Whether the automatic choice takes it here (its key is set, its server answers).
    func isAutomaticChoice(_ context: ProviderContext) async -> Bool
    /// The generator `configuration` describes; throws ``SessionError`` for a missing option or key.
    func open(_ configuration: GeneratorConfiguration, context: ProviderContext) async throws -> OpenGenerator
}

extension GeneratorProvider {
    public func isAutomaticChoice(_ context: ProviderContext) async -> Bool { false }
}

/// What opening a generator may use: the environment (keys, addresses), the languages replies are read with, and
/// a way to say what it is doing (installing or starting a model).
public struct ProviderContext: Sendable {
    public var environment: ProviderEnvironment
    public var languages: LanguageCatalog
    /// The Python that installs the local model, when it must be installed.
    public var python: String?
    public var notice: @Sendable (String) -> Void

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        languages: LanguageCatalog = Toolchains.languages, python: String? = nil,
        notice: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.environment = ProviderEnvironment(environment: environment)
        self.languages = languages
        self.python = python
        self.notice = notice
    }
}

/// The registry of generators: a provider is one file and one line here (a model behind an API with a key is one
/// line: its `ChatProvider` lives in AutoCoderLLM). The order is the automatic choice's.
public enum Providers {
    public static let all: [any GeneratorProvider] = [
        HostedModelEntry(name: "anthropic", key: "ANTHROPIC_API_KEY") {
            try $0.anthropic(model: $1.model, baseURL: $1.url)
        },
        HostedModelEntry(name: "openai", key: "OPENAI_API_KEY") { try $0.openAI(model: $1.model, baseURL: $1.url) },
        OllamaEntry(),
        LocalModelEntry(),
        ScriptEntry(),
        CommandEntry(),
    ]

    /// The names, for messages and help: `anthropic, openai, …`.
    public static var names: String { all.map(\.name).joined(separator: ", ") }

    /// The provider called `name` (any case), or ``SessionError/badInput(_:)``.
    public static func named(_ name: String) throws(SessionError) -> any GeneratorProvider {
        guard let provider = all.first(where: { $0.name == name.lowercased() }) else {
            throw .badInput("unknown provider '\(name)'; known providers: \(names).")
        }
        return provider
    }

    /// The provider used when none is named: the first that says it is available here (a set key, a reachable
    /// server; the local model, which needs nothing, always is).
    public static func automaticChoice(_ context: ProviderContext) async -> any GeneratorProvider {
        for provider in all where await provider.isAutomaticChoice(context) { return provider }
        return LocalModelEntry()
    }

    /// The generator `configuration` names (or the automatic choice, said through `context.notice`), opened.
    public static func open(
        _ configuration: GeneratorConfiguration, context: ProviderContext
    ) async throws(SessionError) -> OpenGenerator {
        let provider: any GeneratorProvider
        if let name = configuration.provider ?? context.environment.variable("AUTOCODER_PROVIDER")
            ?? (configuration.script != nil
                ? ScriptEntry().name : configuration.command != nil ? CommandEntry().name : nil)
        {
            provider = try named(name)
        } else {
            provider = await automaticChoice(context)
            context.notice("Provider: \(provider.name) (chosen automatically; pass --provider to choose)")
        }
        do {
            return try await provider.open(configuration, context: context)
        } catch let error as SessionError {
            throw error
        } catch let error as ProviderError {
            throw .badInput(error.localizedDescription)
        } catch let error as InputError {
            throw .badInput(error.message)
        } catch {
            throw .failed(error)
        }
    }
}
