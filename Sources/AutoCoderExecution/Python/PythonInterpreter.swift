import Foundation

/// The Python interpreter that runs tests and code.
///
/// Version managers such as pyenv put shell-script shims on `PATH` that cost around 100 ms per start; this finds
/// the real binary behind them once per process.
public struct PythonInterpreter: Hashable, Sendable {
    /// The absolute path of the interpreter binary.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// pytest's version for this interpreter, or `nil` when it cannot import pytest (or is no Python at all: a
    /// program that prints no version does not count).
    public func pytestVersion() async -> String? {
        let version = await printed(by: "import pytest; print(pytest.__version__)")
        return version?.first?.isNumber == true ? version : nil
    }

    /// Whether this program is a Python 3 at all (it runs `-c` and says its major version is 3).
    public func isPython() async -> Bool {
        await printed(by: "import sys; print(sys.version_info[0])") == "3"
    }

    /// What `script` prints, run isolated (`-I -c`), trimmed; `nil` when it fails or cannot start.
    private func printed(by script: String) async -> String? {
        let directory = FileManager.default.temporaryDirectory.path
        guard
            let result = try? await ProcessRunner().run(
                ProcessRequest(
                    executable: path, arguments: ["-I", "-c", script],
                    environment: ChildEnvironment.allowlisted(home: directory), workingDirectory: directory,
                    timeout: .seconds(30))),
            result.exitCode == 0
        else { return nil }
        return result.standardOutput.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The environment variable that names the interpreter when `--python` is not given.
    public static let environmentVariable = "AUTOCODER_PYTHON"

    /// Finds the interpreter: `explicit` (a path or a name on `PATH`), else `$AUTOCODER_PYTHON`, else `python3` on
    /// `PATH`, following a shim to the binary it runs.
    /// - Throws: ``PythonNotFound`` with what to do.
    /// - Parameter directory: where a shim is followed (a version manager reads the directory's own settings, such
    ///   as pyenv's `.python-version`); the temporary directory when `nil`.
    public static func resolve(
        explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
        in directory: String? = nil
    ) async throws -> PythonInterpreter {
        let requested = explicit ?? environment[environmentVariable] ?? "python3"
        guard let candidate = locate(requested, path: environment["PATH"] ?? "/usr/bin:/bin") else {
            throw PythonNotFound(
                "No Python interpreter '\(requested)' was found. Install Python 3, or name one with --python PATH "
                    + "or \(environmentVariable).")
        }
        return try await cache.interpreter(for: candidate, in: directory)
    }

    static func locate(_ name: String, path: String) -> String? {
        ExecutableSearch.locate(name, path: path)
    }

    private static let cache = ResolutionCache()
}

/// Resolved interpreters by the path that was asked for, so a shim is followed once per process (callers that
/// ask while it is being followed wait for that answer).
private actor ResolutionCache {
    private var resolved: [String: Task<PythonInterpreter, any Error>] = [:]

    func interpreter(for candidate: String, in directory: String?) async throws -> PythonInterpreter {
        let key = (directory ?? "") + "\u{0}" + candidate
        if let known = resolved[key] { return try await known.value }
        let resolution = Task { try await Self.follow(candidate, in: directory) }
        resolved[key] = resolution
        do {
            return try await resolution.value
        } catch {
            resolved[key] = nil
            throw error
        }
    }

    /// The binary itself, or for a script (a shim), the `sys.executable` it reports.
    private static func follow(_ candidate: String, in directory: String?) async throws -> PythonInterpreter {
        guard let handle = FileHandle(forReadingAtPath: candidate) else {
            throw PythonNotFound("\(candidate) cannot be read.")
        }
        let magic = try handle.read(upToCount: 2) ?? Data()
        try? handle.close()
        guard magic == Data("#!".utf8) else { return PythonInterpreter(path: candidate) }

        let request = ProcessRequest(
            executable: candidate, arguments: ["-c", "import sys; print(sys.executable)"],
            environment: ProcessInfo.processInfo.environment,
            workingDirectory: directory ?? FileManager.default.temporaryDirectory.path, timeout: .seconds(30),
            outputLimit: 64 * 1024, limits: ResourceLimits(fileSizeBytes: nil, openFiles: nil))
        let result = try await ProcessRunner().run(request)
        let reported = result.standardOutput.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.exitCode == 0, !reported.isEmpty, FileManager.default.isExecutableFile(atPath: reported) else {
            throw PythonNotFound(
                "\(candidate) did not report its interpreter (exit \(result.shellExitCode)): "
                    + result.standardError.text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return PythonInterpreter(path: reported)
    }
}

/// No usable Python interpreter.
public struct PythonNotFound: Error, LocalizedError, Hashable, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var errorDescription: String? { message }
}
