import AutoCoder
import Foundation

extension CatchTestExecutor: CodeRunner {
    /// Compiles `code` with g++ (in the sandbox) and runs the program, bounded like a test run; a compile error
    /// gives exit code 1 and the diagnostics on stderr.
    public func run(
        code: String, fileName: String = "main.cpp", timeout: Duration? = nil, input: ProgramInput = ProgramInput()
    ) async throws -> CodeRunResult {
        let installation = try Self.locate()
        return try await ProgramRun.perform(
            settings, code: code, fileName: fileName, timeout: timeout, input: input
        ) { run in
            if let failure = try await run.build(
                installation.compiler, ["-std=c++17", "-O1", "-pthread", "-I.", "-o", "program", fileName])
            {
                return failure
            }
            return try await run.program(run.path("program"), [])
        }
    }
}
