import AutoCoder
import AutoCoderProcess
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The local model's OpenAI-compatible server on 127.0.0.1, for the length of a run.
///
/// The server is started on the one spawning path (``BackgroundProcess``) with a pipe on its standard input that
/// only autocoder holds: when autocoder ends, in any way (a normal end, an error, Ctrl-C, even SIGKILL), the pipe
/// closes and the server exits, so no server outlives the run. ``stop()`` ends it sooner.
public final class LocalModelServer: Sendable {
    /// The server's API root, `/v1` included.
    public let baseURL: URL
    /// What serves the model.
    public let runtime: LocalModel.Runtime
    private let process: BackgroundProcess
    private let stdinWriteEnd: Int32

    /// Starts the server on a free port and waits until it answers.
    /// - Parameters:
    ///   - contextSize: the context window, in tokens.
    ///   - threads: the threads llama.cpp computes with (default: all cores).
    public static func start(
        _ model: LocalModel, contextSize: Int = 4096, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        readyTimeout: Duration = .seconds(120)
    ) async throws -> LocalModelServer {
        guard model.isInstalled, let weights = model.weights, let runtime = model.runtime else {
            throw LocalModelError("The local model is not installed: run `autocoder model install`.")
        }
        let port = try FreePort.find()
        let arguments: [String]
        switch runtime {
        case .cyllama:
            guard
                let script = InstalledResources.url(
                    "autocoder_AutoCoderLLM", "local_model_server", "py", fallback: { Bundle.module })
            else {
                throw LocalModelError("local_model_server.py is missing from autocoder's resources.")
            }
            arguments = [
                script.path, "--model", weights.path, "--port", String(port), "--name", LocalModel.modelName,
                "--n_ctx", String(contextSize), "--n_threads", String(max(1, threads)),
            ]
        case .llamaCppPython:
            arguments =
                ["-c", watchdogPrelude, "--model", weights.path, "--host", "127.0.0.1", "--port", String(port)]
                + ["--n_ctx", String(contextSize), "--n_threads", String(max(1, threads))]
        }
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0, fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC) == 0,
            fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC) == 0
        else {
            throw LocalModelError("Could not make the server's input pipe: \(String(cString: strerror(errno)))")
        }
        let log = open(model.serverLog.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard log >= 0 else {
            close(pipeEnds[0])
            close(pipeEnds[1])
            throw LocalModelError("Could not write the server's log \(model.serverLog.path).")
        }
        let logForErrors = dup(log)
        let process: BackgroundProcess
        do {
            process = try await BackgroundProcess.start(
                .init(
                    executable: model.python.path, arguments: arguments,
                    environment: ChildEnvironment.scrubbed(), workingDirectory: model.directory.path,
                    input: pipeEnds[0], output: log, error: logForErrors))
        } catch {
            close(pipeEnds[1])
            throw LocalModelError("Could not start the local model server: \(error.localizedDescription)")
        }
        let server = LocalModelServer(
            baseURL: URL(string: "http://127.0.0.1:\(port)/v1")!, runtime: runtime, process: process,
            stdinWriteEnd: pipeEnds[1])
        do {
            try await server.waitUntilReady(timeout: readyTimeout, log: model.serverLog)
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    private init(baseURL: URL, runtime: LocalModel.Runtime, process: BackgroundProcess, stdinWriteEnd: Int32) {
        self.baseURL = baseURL
        self.runtime = runtime
        self.process = process
        self.stdinWriteEnd = stdinWriteEnd
    }

    deinit {
        stop()
        close(stdinWriteEnd)
    }

    /// The server's process id.
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Ends the server: SIGTERM to its process group, then SIGKILL if it is still there after two seconds.
    public func stop() {
        process.stop()
    }

    private func waitUntilReady(timeout: Duration, log: URL) async throws {
        let deadline = ContinuousClock.now + timeout
        let client = HTTPClient(timeouts: HTTPTimeouts(connect: .seconds(2), idle: .seconds(2), total: .seconds(3)))
        let probe = URLRequest(url: baseURL.appendingPathComponent("models"))
        while ContinuousClock.now < deadline {
            try Task.checkCancellation()
            if let termination = process.termination {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                let tail = text.split(separator: "\n").suffix(10).joined(separator: "\n")
                throw LocalModelError(
                    "The local model server exited (\(termination)) before it answered. "
                        + "Its log (\(log.path)) ends with:\n\(tail)")
            }
            if let response = try? await client.send(probe), response.status == 200 {
                _ = try? await response.collected()
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw LocalModelError(
            "The local model server did not answer within \(timeout.secondsText); see its log at \(log.path).")
    }

    /// Runs `llama_cpp.server` as `python -m` would, after starting a thread that ends the process when standard
    /// input closes, which happens when autocoder exits.
    static let watchdogPrelude = """
        import os, runpy, sys, threading
        os.closerange(3, 65536)
        def _watch():
            try:
                while sys.stdin.buffer.read(4096):
                    pass
            finally:
                os._exit(0)
        threading.Thread(target=_watch, daemon=True).start()
        sys.argv[0] = "llama_cpp.server"
        runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
        """
}

/// Finds a TCP port on 127.0.0.1 that nothing listens on.
enum FreePort {
    static func find() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw LocalModelError("Could not open a socket to find a free port.") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0
            }
        }
        guard bound else { throw LocalModelError("Could not find a free port on 127.0.0.1.") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
