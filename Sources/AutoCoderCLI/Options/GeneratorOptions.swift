import ArgumentParser
import AutoCoder
import AutoCoderExecution
import Foundation

/// Which generator writes the code.
struct GeneratorOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The code generator: script or command. (default: $AUTOCODER_PROVIDER)",
            discussion: "script: replies read from --script FILE in order. command: --command CMD gets each request "
                + "as JSON on stdin and prints its reply."))
    var provider: String?

    @Option(help: "The model name, for model providers (not in this build yet).")
    var model: String?

    @Option(name: .customLong("base-url"), help: "The API base URL, for model providers (not in this build yet).")
    var baseURL: String?

    @Option(help: "For --provider script: a JSON array or YAML list of reply texts, used one per iteration.")
    var script: String?

    @Option(help: "For --provider command: a shell command that reads a request (JSON) and prints a reply.")
    var command: String?

    /// Providers that a later build brings (model APIs); named so that choosing one gets a clear answer.
    static let plannedProviders = ["openai", "anthropic", "ollama", "local"]
    static let providers = ["script", "command"]

    /// The provider's name: `--provider`, else `$AUTOCODER_PROVIDER`, else the one `--script` or `--command` implies.
    func providerName(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let name =
            provider ?? environment["AUTOCODER_PROVIDER"]
            ?? (script != nil ? "script" : command != nil ? "command" : nil)
        guard let name else {
            throw CLIExit.badInput(
                "no code generator chosen: pass --provider script --script FILE, or --provider command --command CMD.")
        }
        return name.lowercased()
    }

    /// The generator the options describe.
    func generator(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any CodeGenerator {
        let name = try providerName(environment: environment)
        switch name {
        case "script":
            guard let script else { throw CLIExit.badInput("--provider script needs --script FILE.") }
            do {
                return try ScriptedGenerator(contentsOf: URL(fileURLWithPath: script))
            } catch let error as InputError {
                throw CLIExit.badInput(error.message)
            }
        case "command":
            guard let command, !command.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw CLIExit.badInput("--provider command needs --command CMD.")
            }
            return CommandGenerator(command: command)
        case let planned where Self.plannedProviders.contains(planned):
            throw CLIExit.badInput(
                "the \(planned) provider is not available in this build yet; use --provider script or command.")
        default:
            throw CLIExit.badInput(
                "unknown provider '\(name)'; known providers: \(Self.providers.joined(separator: ", ")).")
        }
    }
}
