import AutoCoder
import Foundation

/// autocoder's JUnit launcher (`Resources/AutocoderLauncher.java`), which seals a Java run (``VerdictSeal``):
/// compiled once against JUnit's console jar into a jar kept in `$AUTOCODER_HOME/cache` (else
/// `~/.autocoder/cache`), under a name that changes with the JDK, the console jar and the source. Its source and
/// Debian's jars are none of the generated code's, so it is compiled outside the sandbox.
actor JavaSealLauncher {
    static let shared = JavaSealLauncher()
    private var built: [String: String] = [:]

    /// The launcher's source.
    static var source: URL? {
        InstalledResources.url("autocoder_AutoCoderExecution", "AutocoderLauncher", "java", fallback: { Bundle.module })
    }

    /// The main class the JVM starts.
    static let mainClass = "AutocoderLauncher"

    /// The jar's path, built first when it is not there.
    /// - Throws: ``ToolMissing`` when it cannot be built.
    func jar(for installation: JUnitExecutor.Installation) async throws -> String {
        guard let source = Self.source else {
            throw ToolMissing("autocoder's JUnit launcher is missing from its bundle.")
        }
        let stamp = CacheDirectory.stamp(of: [installation.javaHome + "/release", installation.launcher, source.path])
        if let path = built[stamp] { return path }
        let jar = CacheDirectory.url.appendingPathComponent("junit-seal-\(stamp).jar").path
        if !FileManager.default.fileExists(atPath: jar) {
            try await Self.build(source, into: jar, installation: installation)
        }
        built[stamp] = jar
        return jar
    }

    private static func build(_ source: URL, into jar: String, installation: JUnitExecutor.Installation) async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "autocoder-junit-seal-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: CacheDirectory.url, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source, to: scratch.appendingPathComponent("AutocoderLauncher.java"))
        let steps: [(String, [String])] = [
            (
                installation.javaHome + "/bin/javac",
                JUnitExecutor.compilerOptions + [
                    "-d", "classes", "-encoding", "UTF-8", "-cp", installation.launcher, "AutocoderLauncher.java",
                ]
            ),
            (installation.javaHome + "/bin/jar", ["cf", "launcher.jar", "-C", "classes", "."]),
        ]
        for (executable, arguments) in steps {
            let result = try await ProcessRunner().run(
                ProcessRequest(
                    executable: executable, arguments: arguments, environment: ChildEnvironment.scrubbed(),
                    workingDirectory: scratch.path, timeout: .seconds(120)))
            guard result.exitCode == 0 else {
                throw ToolMissing(
                    "autocoder's JUnit launcher does not build: "
                        + (result.standardError.text + result.standardOutput.text).prefix(500))
            }
        }
        // Moved into place whole, so a run that starts meanwhile never loads half a file.
        if !FileManager.default.fileExists(atPath: jar) {
            try? FileManager.default.moveItem(atPath: scratch.appendingPathComponent("launcher.jar").path, toPath: jar)
        }
        guard FileManager.default.fileExists(atPath: jar) else {
            throw ToolMissing("autocoder's JUnit launcher could not be kept at \(jar).")
        }
    }
}
