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

    /// The flags' variables, a later one winning.
    /// - Throws: ``CLIExit`` (bad input) for a malformed or refused variable.
    func variables() throws -> [String: String] {
        var variables: [String: String] = [:]
        for assignment in assignments {
            do {
                let (name, value) = try TestEnvironment.parse(assignment)
                variables[name] = value
            } catch let error as InputError {
                throw CLIExit.badInput(error.message)
            }
        }
        return variables
    }

    /// `task` with the flags' variables laid over its own.
    func apply(to task: inout CodingTask) throws {
        task.environment.merge(try variables()) { $1 }
    }
}
