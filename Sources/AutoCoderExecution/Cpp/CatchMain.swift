import AutoCoder
import Foundation

/// Catch2's `main`, compiled once (about 10 s) and kept in `$AUTOCODER_HOME/cache` (else `~/.autocoder/cache`)
/// under a name that changes with the header and this source, so that each test run compiles only the task's own
/// files. It seals the run (``VerdictSeal``): it reads the secret from standard input to its end before any test,
/// prints each test case's end with the secret (its name in hexadecimal), and Catch2's own count of failed test
/// cases at the end, on a copy of standard output taken before the tests. Its source is below and Debian's header,
/// none of it the generated code's, so it is compiled outside the sandbox.
actor CatchMain {
    static let shared = CatchMain()
    private var built: [String: String] = [:]

    static let source = """
        #define CATCH_CONFIG_RUNNER
        #include <catch2/catch.hpp>
        #include <cstdio>
        #include <string>
        #include <unistd.h>

        namespace {
        std::string autocoderSecret;
        FILE *autocoderOut = nullptr;

        std::string autocoderHex(std::string const &text) {
            static const char digits[] = "0123456789abcdef";
            std::string hex;
            for (unsigned char c : text) {
                hex += digits[c >> 4];
                hex += digits[c & 15];
            }
            return hex;
        }

        struct AutocoderSeal : Catch::TestEventListenerBase {
            using TestEventListenerBase::TestEventListenerBase;
            void testCaseEnded(Catch::TestCaseStats const &stats) override {
                if (autocoderOut) {
                    std::fprintf(autocoderOut, "\\n\(VerdictSeal.marker) %s case %s %s\\n", autocoderSecret.c_str(),
                                 stats.totals.assertions.allOk() ? "passed" : "failed",
                                 autocoderHex(stats.testInfo.name).c_str());
                    std::fflush(autocoderOut);
                }
                TestEventListenerBase::testCaseEnded(stats);
            }
        };
        }  // namespace
        CATCH_REGISTER_LISTENER(AutocoderSeal)

        int main(int argc, char *argv[]) {
            char buffer[256];
            ssize_t count;
            while ((count = read(0, buffer, sizeof buffer)) > 0) autocoderSecret.append(buffer, count);
            autocoderOut = fdopen(dup(1), "w");
            int failed = Catch::Session().run(argc, argv);
            if (autocoderOut) {
                std::fprintf(autocoderOut, "\\n\(VerdictSeal.marker) %s end %d\\n", autocoderSecret.c_str(), failed);
                std::fflush(autocoderOut);
            }
            return failed;
        }

        """

    /// This source's own stamp (FNV-1a, hexadecimal), so that a changed source is compiled anew.
    static let sourceStamp: String = {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in source.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }()

    /// The object file's path, compiled first when it is not there.
    /// - Throws: ``ToolMissing`` when it cannot be compiled.
    func object(using installation: CatchTestExecutor.Installation) async throws -> String {
        let stamp = CacheDirectory.stamp(of: [installation.header]) + "-" + Self.sourceStamp
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
