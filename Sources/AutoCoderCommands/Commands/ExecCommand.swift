import ArgumentParser
import AutoCoder
import AutoCoderApp
import AutoCoderExecution
import Foundation
import Synchronization

/// `autocoder exec`: runs a program directly, bounded like a test run.
struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a program directly in a fresh workspace, in the sandbox, with a timeout.",
        discussion: """
            Any language autocoder supports (from the FILE's extension, or --language; -c is Python unless --language says otherwise). Compiled \
            languages (Swift, Rust, Go, C++, Java, TypeScript) are compiled first; a compile error exits 1. \
            Arguments after -- go to the program; piped standard input reaches it (up to 1 MiB; a terminal's does \
            not); --files puts modules or data next to it. The program's stdout and stderr are passed on as they \
            come (in --json, once, capped). Exit code: the program's own; 124 when it timed out; 128+N when signal N killed it; 2 bad \
            input; 3 when it could not be started.
            """)

    @Argument(help: ArgumentHelp("A program file to run, in any supported language.", valueName: "file"))
    var file: String?

    @Option(name: .customShort("c"), help: ArgumentHelp("Code to run, given inline.", valueName: "code"))
    var code: String?

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp("Files to put next to the program (modules it imports, data it reads).", valueName: "file"))
    var files: [String] = []

    @Argument(parsing: .postTerminator, help: ArgumentHelp("Arguments for the program, after --.", valueName: "arg"))
    var arguments: [String] = []

    @OptionGroup var execution: SandboxOptions
    @OptionGroup var languageOption: LanguageOption

    /// The most standard input passed on.
    static let standardInputLimit = 1 << 20

    func validate() throws {
        if (file == nil) == (code == nil) { throw ValidationError("Give either a FILE or -c CODE (exactly one).") }
    }

    func run() async throws {
        let byFile = file.flatMap(Toolchains.toolchain(forFile:))
        let fileExtension = file.map { URL(fileURLWithPath: $0).pathExtension } ?? ""
        if languageOption.language == nil, byFile == nil, !fileExtension.isEmpty {
            // A file of no language autocoder knows (a `.c`) would otherwise run as Python.
            throw CLIExit.badInput(
                "no language of autocoder's runs .\(fileExtension) files; give --language "
                    + "(\(Toolchains.languages.names)), or a file with its language's extension.")
        }
        let toolchain = languageOption.language.flatMap(Toolchains.toolchain(for:)) ?? byFile ?? Toolchains.all[0]
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
            name = toolchain.inlineProgramName
        }

        var input = ProgramInput(
            arguments: arguments, standardInput: try Self.pipedStandardInput(), files: try neighbours(besides: name))
        // The program's output is passed on as it comes (so a long or interrupted program's is not lost), except
        // under --json, which prints it once in the document.
        let streamed = Mutex(false)
        if !execution.json {
            input.observer = ProcessObserver(output: { chunk, isError in
                streamed.withLock { $0 = true }
                _ = chunk.withUnsafeBytes { write(isError ? 2 : 1, $0.baseAddress, $0.count) }
            })
        }
        let session = execution.session(RunConfiguration())
        await session.warnAboutMissingLayers()
        let result: CodeRunResult
        do {
            result = try await session.exec(source, fileName: name, language: toolchain.language, input: input)
        } catch .cancelled {
            throw CancellationError()
        } catch {
            throw CLIExit(error)
        }
        if execution.json {
            try Terminal.json(result)
        } else {
            // What was not streamed: a compiler's diagnostics (the program then never ran, and printed nothing).
            if !streamed.withLock({ $0 }) {
                Terminal.raw(result.stdout, to: .standardOutput)
                Terminal.raw(result.stderr, to: .standardError)
            }
            if let message = result.message { Terminal.error(message) }
        }
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }

    /// What was piped into autocoder (a file or a pipe, not a terminal), up to ``standardInputLimit``.
    static func pipedStandardInput() throws -> String? {
        guard isatty(0) == 0 else { return nil }
        var status = stat()
        guard fstat(0, &status) == 0, (status.st_mode & S_IFMT) == S_IFIFO || (status.st_mode & S_IFMT) == S_IFREG
        else { return nil }
        let data = FileHandle.standardInput.readData(ofLength: standardInputLimit + 1)
        guard data.count <= standardInputLimit else {
            throw CLIExit.badInput("standard input is larger than 1 MiB; pass the data as a file with --files.")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// `--files`, read as text under their own names.
    private func neighbours(besides program: String) throws -> [CodeFile] {
        var seen: Set<String> = [program]
        return try files.map { path in
            let name = URL(fileURLWithPath: path).lastPathComponent
            guard seen.insert(name).inserted else {
                throw CLIExit.badInput("two files are named \(name); the program and --files need distinct names.")
            }
            do {
                return CodeFile(path: name, content: try TaskLoader.readText(URL(fileURLWithPath: path)))
            } catch let error as InputError {
                throw CLIExit.badInput(error.message)
            }
        }
    }
}
