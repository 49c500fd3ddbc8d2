import ArgumentParser
import AutoCoderApp
import Foundation

/// Which generator writes the code: a model provider, a script of replies, or a command.
struct GeneratorOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The code generator: \(Providers.names).",
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

    func validate() throws {
        if let problem = configuration.problem { throw ValidationError(problem) }
    }

    /// The generator the flags describe.
    var configuration: GeneratorConfiguration {
        GeneratorConfiguration(
            provider: provider, model: model, baseURL: baseURL, contextSize: contextSize,
            maxReplyTokens: maxReplyTokens, script: script, command: command)
    }
}
