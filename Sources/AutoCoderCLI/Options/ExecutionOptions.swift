import ArgumentParser
import AutoCoder
import AutoCoderExecution

/// How code is run: shared by `solve`, `test` and `exec`.
struct ExecutionOptions: ParsableArguments {
    @Option(
        help: "Wall-clock limit of one run in seconds; the whole process tree is killed when it passes. (default: 30)")
    var timeout: Double?

    @Option(
        help: ArgumentHelp(
            "Python interpreter: a path or a name on PATH.",
            discussion: "Default: $AUTOCODER_PYTHON, else python3 (a pyenv shim is followed to the real binary).",
            valueName: "path"))
    var python: String?

    @Option(help: "Language of the code and tests: python (swift is not supported yet).")
    var language: Language?

    @Flag(help: "Print one JSON document on stdout and nothing else there; progress stays on stderr.")
    var json = false

    static let defaultTimeout = 30.0

    func validate() throws {
        if let timeout, !(timeout > 0 && timeout <= 86_400) {
            throw ValidationError("--timeout must be a number of seconds above 0 and at most 86400 (it is \(timeout)).")
        }
    }

    /// The executor for `language`, or a bad-input exit for a language this build cannot run.
    func executor(for language: Language) throws -> PytestExecutor {
        guard language == .python else {
            throw CLIExit.badInput("\(language.rawValue) tasks are not supported by this build yet; only python is.")
        }
        return PytestExecutor(python: python, timeout: .milliseconds(Int((timeout ?? Self.defaultTimeout) * 1000)))
    }
}

extension Language: ExpressibleByArgument {}
