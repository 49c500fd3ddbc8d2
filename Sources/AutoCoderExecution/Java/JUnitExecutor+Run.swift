import AutoCoder
import Foundation

extension JUnitExecutor: CodeRunner {
    /// Compiles `code` with `javac` (in the sandbox) and runs its class with `java`, bounded like a test run; a
    /// compile error gives exit code 1 and the diagnostics on stderr. The class run is the file's name.
    public func run(
        code: String, fileName: String = "Main.java", timeout: Duration? = nil, input: ProgramInput = ProgramInput()
    ) async throws -> CodeRunResult {
        let installation = try Self.locate()
        return try await ProgramRun.perform(
            settings, code: code, fileName: fileName, timeout: timeout, input: input
        ) { run in
            let classes = run.workspace.home.appendingPathComponent("classes").path
            if let failure = try await run.build(
                installation.javaHome + "/bin/javac", ["-d", classes, "-encoding", "UTF-8", fileName],
                readOnly: installation.readOnly)
            {
                return failure
            }
            let mainClass = ((fileName as NSString).lastPathComponent as NSString).deletingPathExtension
            return try await run.program(
                installation.javaHome + "/bin/java", Self.jvmOptions + ["-cp", classes, mainClass],
                readOnly: installation.readOnly)
        }
    }
}
