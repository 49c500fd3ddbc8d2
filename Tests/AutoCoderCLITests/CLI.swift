import AutoCoderExecution
import Foundation
import Testing

/// Runs the built `autocoder` binary as a user would.
enum CLI {
    struct Run {
        var code: Int32
        var stdout: String
        var stderr: String

        /// stdout parsed as one JSON object.
        func json() throws -> [String: Any] {
            let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
            return try #require(object as? [String: Any], "stdout is not one JSON object: \(stdout)")
        }
    }

    /// The repository's root, for the examples.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `autocoder` binary next to the test bundle, or `$AUTOCODER_BIN`.
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["AUTOCODER_BIN"] { return path }
        // On Linux the test executable sits in the build directory; on macOS it is inside an .xctest bundle there.
        let directories = [
            Bundle.main.executableURL?.deletingLastPathComponent(), Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ].compactMap { $0 }
        let candidates = directories.map { $0.appendingPathComponent("autocoder").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    /// The `AUTOCODER_HOME` of every command these tests run: inside the build folder (ignored by git, removed
    /// with it), never the user's own.
    static let home = repository.appendingPathComponent(".build/test-autocoder-home").path

    /// Starts the binary as `run` does (the repository as its folder, the tests' AUTOCODER_HOME, no provider from
    /// the environment) and returns at once, for tests that signal it or watch it while it works. Its stderr is
    /// dropped; its stdout goes to `standardOutput`.
    static func launch(
        _ arguments: [String], environment extra: [String: String] = [:],
        standardOutput: Any = FileHandle.nullDevice
    ) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = repository
        var environment = ProcessInfo.processInfo.environment
        environment["AUTOCODER_PROVIDER"] = nil
        environment["AUTOCODER_HOME"] = home
        process.environment = environment.merging(extra) { $1 }
        process.standardOutput = standardOutput
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func run(
        _ arguments: [String], environment extra: [String: String] = [:], directory: URL = repository,
        timeout: Duration = .seconds(120), input: String? = nil, through wrapper: [String] = []
    ) async throws -> Run {
        try #require(FileManager.default.isExecutableFile(atPath: binary), "no autocoder binary at \(binary)")
        var environment = ProcessInfo.processInfo.environment
        environment["AUTOCODER_PROVIDER"] = nil
        environment["AUTOCODER_HOME"] = home
        environment.merge(extra) { $1 }
        let result = try await ProcessRunner().run(
            ProcessRequest(
                executable: wrapper.first ?? binary,
                arguments: wrapper.dropFirst() + (wrapper.isEmpty ? [] : [binary]) + arguments,
                environment: environment, workingDirectory: directory.path,
                timeout: timeout, outputLimit: 8 * 1024 * 1024,
                limits: ResourceLimits(fileSizeBytes: nil, openFiles: nil), input: input))
        return Run(code: result.shellExitCode, stdout: result.standardOutput.text, stderr: result.standardError.text)
    }
}
