import ArgumentParser

/// `autocoder`: test-driven autonomous coding.
struct AutoCoderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autocoder",
        abstract: "Test-driven autonomous coding: a generator writes code until the tests pass.",
        discussion: """
            Exit codes: 0 success · 1 unsolved or tests failed · 2 bad input · 3 generator or executor failure \
            · 124 exec timed out · 130 interrupted.
            Environment: AUTOCODER_PROVIDER (default generator), AUTOCODER_PYTHON (interpreter for tests).
            """,
        version: "0.1.0",
        subcommands: [
            SolveCommand.self, TestCommand.self, ExecCommand.self, DoctorCommand.self, RunsCommand.self,
            ReplayCommand.self, BenchCommand.self,
        ]
    )
}
