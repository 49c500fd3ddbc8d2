import ArgumentParser
import AutoCoder

/// `--env KEY=VALUE`: variables for the tests only, laid over the task's `env:` front matter.
struct TestEnvironmentOptions: ParsableArguments {
    @Option(
        name: .customLong("env"),
        help: ArgumentHelp(
            "A variable for the tests only (repeatable). Names that look like secrets (*_KEY, *_TOKEN, *SECRET*, "
                + "*PASSWORD*) are refused.", valueName: "KEY=VALUE"))
    var assignments: [String] = []

    /// `task` with the flags' variables laid over its own.
    /// - Throws: ``CLIExit`` (bad input) for a malformed or refused variable.
    func apply(to task: inout CodingTask) throws {
        for assignment in assignments {
            do {
                let (name, value) = try TestEnvironment.parse(assignment)
                task.environment[name] = value
            } catch let error as InputError {
                throw CLIExit.badInput(error.message)
            }
        }
    }
}
