import AutoCoderExecution
import Foundation

/// A program of the user's: each request goes to its standard input as JSON, its standard output is the reply.
struct CommandEntry: GeneratorProvider {
    var name: String { "command" }

    func open(_ configuration: GeneratorConfiguration, context: ProviderContext) async throws -> OpenGenerator {
        guard let command = configuration.command, !command.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SessionError.badInput("--provider command needs --command CMD.")
        }
        return OpenGenerator(
            generator: CommandGenerator(command: command, languages: context.languages), provider: name)
    }
}
