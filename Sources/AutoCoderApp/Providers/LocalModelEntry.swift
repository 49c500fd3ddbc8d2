import AutoCoderExecution
import AutoCoderLLM
import Foundation

/// The embedded model (SmolLM2-135M on llama.cpp), installed on first use; its server lives as long as the
/// opened generator.
struct LocalModelEntry: GeneratorProvider {
    var name: String { "local" }

    /// It needs nothing, so it is the automatic choice's last resort.
    func isAutomaticChoice(_ context: ProviderContext) async -> Bool { true }

    func open(_ configuration: GeneratorConfiguration, context: ProviderContext) async throws -> OpenGenerator {
        let local = LocalModel(environment: context.environment.environment)
        do {
            if !local.isInstalled {
                context.notice("The local model is not installed yet; installing it now into \(local.directory.path).")
                let interpreter = try await PythonInterpreter.resolve(
                    explicit: context.python, environment: context.environment.environment)
                try await local.install(python: URL(fileURLWithPath: interpreter.path), progress: context.notice)
            }
            context.notice("Starting the local model (SmolLM2-135M-Instruct on llama.cpp)…")
            let server = try await LocalModelServer.start(
                local, contextSize: configuration.contextSize ?? GeneratorConfiguration.defaultContextSize)
            var opened = OpenGenerator.model(
                context.environment.local(server: server), configuration: configuration, context: context,
                defaultReplyTokens: 1024, local: true)
            opened.server = server
            return opened
        } catch let error as LocalModelError {
            throw SessionError.unavailable(error.message)
        }
    }
}
