import ArgumentParser
import AutoCoder
import AutoCoderExecution
import Foundation

/// `autocoder exec`: runs a program directly, bounded like a test run.
struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run Python or Swift code directly in a fresh workspace, in the sandbox, with a timeout.",
        discussion: """
            Swift (a .swift FILE, or --language swift) is compiled with swiftc first; a compile error exits 1. \
            The program's stdout and stderr are passed on (capped). Exit code: the program's own; 124 when it timed \
            out; 128+N when signal N killed it; 2 bad input; 3 when it could not be started.
            """)

    @Argument(help: ArgumentHelp("A Python or Swift file to run.", valueName: "file"))
    var file: String?

    @Option(name: .customShort("c"), help: ArgumentHelp("Code to run, given inline.", valueName: "code"))
    var code: String?

    @OptionGroup var execution: ExecutionOptions

    func validate() throws {
        if (file == nil) == (code == nil) { throw ValidationError("Give either a FILE or -c CODE (exactly one).") }
        try execution.refuseUnused(["--no-warm-worker", "--module"], by: "exec")
    }

    func run() async throws {
        let executor = execution.executor(
            for: execution.language ?? (file?.hasSuffix(".swift") == true ? .swift : .python))
        let source: String
        let name: String
        if let file {
            do {
                source = try TaskLoader.readText(URL(fileURLWithPath: file))
            } catch let error as InputError {
                throw CLIExit.badInput(error.message)
            }
            name = URL(fileURLWithPath: file).lastPathComponent
        } else {
            source = code ?? ""
            name = "main.py"
        }

        await execution.warnAboutMissingLayers()
        let result: CodeRunResult
        do {
            result = try await executor.run(code: source, fileName: name, timeout: nil)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw CLIExit.toolFailure(error.localizedDescription)
        }
        if execution.json {
            try Terminal.json(result)
        } else {
            Terminal.raw(result.stdout, to: .standardOutput)
            Terminal.raw(result.stderr, to: .standardError)
            if let message = result.message { Terminal.error(message) }
        }
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }
}
