import AutoCoder
import Foundation

extension CargoTestExecutor: CodeRunner {
    /// Compiles `code` with rustc (in the sandbox) and runs the program, bounded like a test run; a compile error
    /// gives exit code 1 and the diagnostics on stderr.
    public func run(
        code: String, fileName: String = "main.rs", timeout: Duration? = nil, input: ProgramInput = ProgramInput()
    ) async throws -> CodeRunResult {
        guard let sysroot = await Self.sysroot() else {
            throw ToolMissing("No Rust toolchain was found: rustc is not on PATH.")
        }
        return try await ProgramRun.perform(
            settings, code: code, fileName: fileName, timeout: timeout, input: input
        ) { run in
            if let failure = try await run.build(
                sysroot + "/bin/rustc", ["--edition", "2021", "-o", "program", fileName], readOnly: [sysroot])
            {
                return failure
            }
            return try await run.program(run.path("program"), [])
        }
    }
}
