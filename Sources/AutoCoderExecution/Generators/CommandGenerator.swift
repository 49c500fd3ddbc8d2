import AutoCoder
import Foundation

/// A generator that asks an external program: the request goes to its standard input as JSON (a
/// ``GenerationRequest``), and what it prints on standard output is parsed like a model's reply.
///
/// The program is the user's own, so it runs with the user's environment (it may need an API key); it is still
/// bounded by a timeout and its output is capped.
public struct CommandGenerator: CodeGenerator {
    /// A shell command line, run with `/bin/sh -c`.
    public var command: String
    /// The longest one reply may take.
    public var timeout: Duration
    /// The working directory of the program.
    public var workingDirectory: String
    /// The languages its replies are read with.
    public var languages: LanguageCatalog

    public init(
        command: String, timeout: Duration = .seconds(600),
        workingDirectory: String = FileManager.default.currentDirectoryPath, languages: LanguageCatalog
    ) {
        self.command = command
        self.languages = languages
        self.timeout = timeout
        self.workingDirectory = workingDirectory
    }

    public func generate(_ task: CodingTask) async throws -> Attempt {
        try await respond(to: GenerationRequest(type: .generate, task: task))
    }

    public func fix(_ task: CodingTask, previous: Attempt, feedback: Feedback) async throws -> Attempt {
        try await respond(to: .fix(task, previous: previous, feedback: feedback))
    }

    /// Sends `request` (with its iteration, variant and reply cap) to the program.
    public func respond(to request: GenerationRequest) async throws -> Attempt {
        let task = request.task
        let previous = request.type == .fix ? request.previousFiles ?? [] : []
        let json = try JSONDocument.encoder().string(request)
        let process: ProcessResult
        do {
            process = try await ProcessRunner().run(
                ProcessRequest(
                    executable: "/bin/sh", arguments: ["-c", command],
                    environment: ProcessInfo.processInfo.environment, workingDirectory: workingDirectory,
                    timeout: timeout, outputLimit: 4 * 1024 * 1024,
                    limits: ResourceLimits(fileSizeBytes: nil, openFiles: nil, disableCoreDumps: false), input: json))
        } catch let error as ProcessLaunchError {
            throw GeneratorError("The generator command could not start: \(error.reason)")
        }
        if process.timedOut {
            throw GeneratorError("The generator command '\(command)' gave no reply within \(timeout) and was killed.")
        }
        guard process.exitCode == 0 else {
            let stderr = process.standardError.text.trimmingCharacters(in: .whitespacesAndNewlines)
            throw GeneratorError(
                "The generator command '\(command)' failed with exit code \(process.shellExitCode)"
                    + (stderr.isEmpty ? "." : ": \(stderr.suffix(2_000))"))
        }
        return ReplyParser(task: task, languages: languages, previous: previous).attempt(
            from: process.standardOutput.text)
    }
}
