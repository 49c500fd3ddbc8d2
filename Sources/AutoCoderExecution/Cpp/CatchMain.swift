import AutoCoder
import Foundation

/// Catch2's `main`, compiled once (about 10 s) and kept in `$AUTOCODER_HOME/cache` (else `~/.autocoder/cache`)
/// under a name that changes with the header, so that each test run compiles only the task's own files. Its source
/// is the two lines below and Debian's header, none of it the generated code's, so it is compiled outside the
/// sandbox.
actor CatchMain {
    static let shared = CatchMain()
    private var built: [String: String] = [:]

    static let source = "#define CATCH_CONFIG_MAIN\n#include <catch2/catch.hpp>\n"

    /// The object file's path, compiled first when it is not there.
    /// - Throws: ``ToolMissing`` when it cannot be compiled.
    func object(using installation: CatchTestExecutor.Installation) async throws -> String {
        let stamp = CacheDirectory.stamp(of: [installation.header])
        if let path = built[stamp] { return path }
        let cache = CacheDirectory.url
        let object = cache.appendingPathComponent("catch2-main-\(stamp).o").path
        if FileManager.default.fileExists(atPath: object) {
            built[stamp] = object
            return object
        }
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "autocoder-catch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try Data(Self.source.utf8).write(to: scratch.appendingPathComponent("main.cpp"))
        let result = try await ProcessRunner().run(
            ProcessRequest(
                executable: installation.compiler,
                arguments: ["-std=c++17", "-O1", "-c", "main.cpp", "-o", "main.o"],
                environment: ChildEnvironment.scrubbed(), workingDirectory: scratch.path, timeout: .seconds(300)))
        guard result.exitCode == 0 else {
            throw ToolMissing("Catch2's main does not compile: " + result.standardError.text.prefix(500))
        }
        // Moved into place whole, so a run that starts meanwhile never links half a file.
        _ = try? FileManager.default.replaceItemAt(
            URL(fileURLWithPath: object), withItemAt: scratch.appendingPathComponent("main.o"))
        if !FileManager.default.fileExists(atPath: object) {
            try FileManager.default.moveItem(atPath: scratch.appendingPathComponent("main.o").path, toPath: object)
        }
        built[stamp] = object
        return object
    }
}
