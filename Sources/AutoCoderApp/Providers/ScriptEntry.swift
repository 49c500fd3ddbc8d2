import AutoCoder
import Foundation

/// Replies read from a file (a JSON array or YAML list), one per call: for demos, tests and offline runs.
struct ScriptEntry: GeneratorProvider {
    var name: String { "script" }

    func open(_ configuration: GeneratorConfiguration, context: ProviderContext) async throws -> OpenGenerator {
        guard let script = configuration.script else {
            throw SessionError.badInput("--provider script needs --script FILE.")
        }
        let file = URL(fileURLWithPath: script)
        let languages = context.languages
        var opened = OpenGenerator(
            generator: try ScriptedGenerator(contentsOf: file, languages: languages), provider: name)
        opened.restart = { try ScriptedGenerator(contentsOf: file, languages: languages) }
        return opened
    }
}
