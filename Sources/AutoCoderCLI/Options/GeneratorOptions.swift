import ArgumentParser
import AutoCoder
import AutoCoderExecution
import AutoCoderLLM
import Foundation

/// Which generator writes the code: a model provider, a script of replies, or a command.
struct GeneratorOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The code generator: openai, anthropic, ollama, local, script or command.",
            discussion: """
                Default: $AUTOCODER_PROVIDER, else anthropic if ANTHROPIC_API_KEY is set, else openai if \
                OPENAI_API_KEY is set, else ollama if one answers at OLLAMA_HOST, else the local model (installed \
                on first use). script: replies read from --script FILE in order. command: --command CMD gets each \
                request as JSON on stdin and prints its reply.
                """))
    var provider: String?

    @Option(help: "The model name. (default: $AUTOCODER_MODEL, else the provider's default)")
    var model: String?

    @Option(
        name: .customLong("base-url"),
        help:
            "The API base URL (default: $OPENAI_BASE_URL, $ANTHROPIC_BASE_URL or $OLLAMA_HOST, else the official one).")
    var baseURL: String?

    @Option(
        parsing: .unconditional,
        help: "For ollama and local: the context window in tokens, sent with each request. (default: 8192)")
    var contextSize: Int?

    @Option(
        parsing: .unconditional,
        help: "The most tokens one reply may have. (default: 4096; 1024 for the local model, which otherwise rambles)")
    var maxReplyTokens: Int?

    @Option(help: "For --provider script: a JSON array or YAML list of reply texts, used one per iteration.")
    var script: String?

    @Option(help: "For --provider command: a shell command that reads a request (JSON) and prints a reply.")
    var command: String?

    static let modelProviders = ["openai", "anthropic", "ollama", "local"]
    static let providers = modelProviders + ["script", "command"]
    static let defaultContextSize = 8192

    func validate() throws {
        if let contextSize, contextSize < 512 {
            throw ValidationError("--context-size must be at least 512 (it is \(contextSize)).")
        }
        if let maxReplyTokens, maxReplyTokens < 16 {
            throw ValidationError("--max-reply-tokens must be at least 16 (it is \(maxReplyTokens)).")
        }
        if let baseURL {
            guard let url = URL(string: baseURL), url.scheme == "http" || url.scheme == "https", url.host != nil
            else { throw ValidationError("--base-url must be an http(s) URL (it is \(baseURL)).") }
        }
        if script != nil, command != nil {
            throw ValidationError("--script and --command choose two different generators; give one of them.")
        }
        if let provider = provider?.lowercased() {
            if script != nil, provider != "script" {
                throw ValidationError("--script goes with --provider script, not --provider \(provider).")
            }
            if command != nil, provider != "command" {
                throw ValidationError("--command goes with --provider command, not --provider \(provider).")
            }
        }
    }

    /// The provider named by `--provider`, `$AUTOCODER_PROVIDER`, or implied by `--script`/`--command`; `nil` when
    /// none is, and the choice is automatic.
    func namedProvider(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        let name =
            provider ?? environment["AUTOCODER_PROVIDER"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (script != nil ? "script" : command != nil ? "command" : nil)
        guard let name = name?.lowercased() else { return nil }
        guard Self.providers.contains(name) else {
            throw CLIExit.badInput(
                "unknown provider '\(name)'; known providers: \(Self.providers.joined(separator: ", ")).")
        }
        return name
    }

    /// Opens the generator the options describe: starts the local model's server when that is the provider
    /// (installing the model first if needed, saying so). Close the session when the run ends.
    func open(
        environment: [String: String] = ProcessInfo.processInfo.environment, python: String? = nil,
        notice: @escaping @Sendable (String) -> Void = { Terminal.note($0) }
    ) async throws -> GeneratorSession {
        let providers = ProviderEnvironment(environment: environment)
        var name = try namedProvider(environment: environment)
        if name == nil {
            name = await providers.automaticChoice()
            notice("Provider: \(name!) (chosen automatically; pass --provider to choose)")
        }
        let url = baseURL.flatMap(URL.init(string:))
        do {
            switch name! {
            case "script":
                guard let script else { throw CLIExit.badInput("--provider script needs --script FILE.") }
                let file = URL(fileURLWithPath: script)
                do {
                    var session = GeneratorSession(
                        generator: try ScriptedGenerator(contentsOf: file, languages: Toolchains.languages),
                        provider: "script")
                    session.restart = { try ScriptedGenerator(contentsOf: file, languages: Toolchains.languages) }
                    return session
                } catch let error as InputError {
                    throw CLIExit.badInput(error.message)
                }
            case "command":
                guard let command, !command.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw CLIExit.badInput("--provider command needs --command CMD.")
                }
                return GeneratorSession(
                    generator: CommandGenerator(command: command, languages: Toolchains.languages), provider: "command")
            case "openai":
                return session(for: try providers.openAI(model: model, baseURL: url), notice: notice)
            case "anthropic":
                return session(for: try providers.anthropic(model: model, baseURL: url), notice: notice)
            case "ollama":
                let provider = try await providers.ollama(
                    model: model, baseURL: url, contextSize: contextSize ?? Self.defaultContextSize)
                return session(for: provider, notice: notice)
            default:
                return try await localSession(providers, environment: environment, python: python, notice: notice)
            }
        } catch let error as ProviderError {
            throw CLIExit.badInput(error.localizedDescription)
        } catch let error as LocalModelError {
            throw CLIExit.toolFailure(error.message)
        }
    }

    private func session(
        for provider: some ChatProvider, defaultReplyTokens: Int = 4096, notice: @escaping @Sendable (String) -> Void
    ) -> GeneratorSession {
        var provider = provider
        provider.onNotice = notice
        let replyTokens = maxReplyTokens ?? defaultReplyTokens
        var session = GeneratorSession(
            generator: ModelGenerator(provider: provider, languages: Toolchains.languages, maxReplyTokens: replyTokens),
            provider: provider.name, model: provider.model,
            pricing: PriceTable.pricing(provider: provider.name, model: provider.model))
        session.maxReplyTokens = replyTokens
        return session
    }

    private func localSession(
        _ providers: ProviderEnvironment, environment: [String: String], python: String?,
        notice: @escaping @Sendable (String) -> Void
    ) async throws -> GeneratorSession {
        let local = LocalModel(environment: environment)
        if !local.isInstalled {
            notice("The local model is not installed yet; installing it now into \(local.directory.path).")
            let interpreter = try await PythonInterpreter.resolve(explicit: python, environment: environment)
            try await local.install(python: URL(fileURLWithPath: interpreter.path), progress: notice)
        }
        notice("Starting the local model (SmolLM2-135M-Instruct on llama.cpp)…")
        let server = try await LocalModelServer.start(local, contextSize: contextSize ?? Self.defaultContextSize)
        var session = session(for: providers.local(server: server), defaultReplyTokens: 1024, notice: notice)
        session.server = server
        return session
    }
}
