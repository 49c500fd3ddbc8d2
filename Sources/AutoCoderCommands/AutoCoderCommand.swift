import ArgumentParser

/// `autocoder`: test-driven autonomous coding.
struct AutoCoderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autocoder",
        abstract: "Test-driven autonomous coding: a generator writes code until the tests pass.",
        discussion: """
            Exit codes: 0 success · 1 unsolved or tests failed · 2 bad input · 3 generator or executor failure \
            · 124 exec timed out · 130 interrupted.
            Environment: AUTOCODER_PROVIDER, AUTOCODER_MODEL (default generator and model), OPENAI_API_KEY, \
            OPENAI_BASE_URL, ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, OLLAMA_HOST, AUTOCODER_PYTHON (interpreter for \
            tests), AUTOCODER_HOME (run store and local model; default ~/.autocoder), DATABASE_URL (the PostgreSQL \
            queue of worker, bench status and bench results).
            """,
        version: BuildVersion.text,
        subcommands: [
            SolveCommand.self, FixCommand.self, TestCommand.self, ExecCommand.self, DoctorCommand.self,
            RunsCommand.self,
            ReplayCommand.self, BenchCommand.self, ModelCommand.self, MCPCommand.self, ServeCommand.self,
            WorkerCommand.self,
        ]
    )
}
