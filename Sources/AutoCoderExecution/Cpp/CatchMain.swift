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
    private var built: [String: Task<Kept, any Error>] = [:]

    static let source = seal + CatchTypedComparisons.definition + entry

    /// The listener that seals each test case.
    static let seal = """
        #define CATCH_CONFIG_RUNNER
        #include <catch2/catch.hpp>
        #include <cctype>
        #include <cstdio>
        #include <cstdlib>
        #include <cxxabi.h>
        #include <set>
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

        """

    /// The entry point: the secret read first, the tests, the end line.
    static let entry = """

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

    /// This source's own stamp, and the header's changes' (FNV-1a, hexadecimal), so that a change is compiled anew.
    static let sourceStamp: String = {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let changes = CatchTypedComparisons.replacements.map { $0.0 + $0.1 }.joined()
        for byte in (source + changes).utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }()

    /// The kept main's object, and the folder whose `catch2/catch.hpp` is the changed header
    /// (``CatchTypedComparisons``), which the tests are compiled against.
    struct Kept: Sendable {
        var object: String
        var includeDirectory: String
    }

    /// The kept main and header, made first when they are not there (once, however many runs ask at the same
    /// time).
    /// - Throws: ``ToolMissing`` when the main cannot be compiled or the header is not one autocoder can change.
    func kept(using installation: CatchTestExecutor.Installation) async throws -> Kept {
        let stamp = CacheDirectory.stamp(of: [installation.header]) + "-" + Self.sourceStamp
        if let making = built[stamp] { return try await making.value }
        let making = Task { try await Self.make(stamp: stamp, installation: installation) }
        built[stamp] = making
        do {
            return try await making.value
        } catch {
            built[stamp] = nil
            throw error
        }
    }

    private static func make(stamp: String, installation: CatchTestExecutor.Installation) async throws -> Kept {
        let cache = CacheDirectory.url
        let kept = Kept(
            object: cache.appendingPathComponent("catch2-main-\(stamp).o").path,
            includeDirectory: cache.appendingPathComponent("catch2-header-\(stamp)").path)
        let manager = FileManager.default
        if manager.fileExists(atPath: kept.object),
            manager.fileExists(atPath: kept.includeDirectory + "/catch2/catch.hpp")
        {
            return kept
        }
        // Made in the cache itself, so that each part is renamed into place whole: another process that makes the
        // same parts meanwhile (they depend on the stamp alone) finds either all of one or none.
        let scratch = cache.appendingPathComponent(".catch-\(UUID().uuidString)")
        try manager.createDirectory(
            at: scratch.appendingPathComponent("include/catch2"), withIntermediateDirectories: true)
        defer { try? manager.removeItem(at: scratch) }
        guard let original = try? String(contentsOfFile: installation.header, encoding: .utf8),
            let header = CatchTypedComparisons.header(from: original)
        else {
            throw ToolMissing(
                "Catch2's header (\(installation.header)) is not the Catch2 2 autocoder knows (Debian 12's 2.13)")
        }
        try Data(header.utf8).write(to: scratch.appendingPathComponent("include/catch2/catch.hpp"))
        try Data(source.utf8).write(to: scratch.appendingPathComponent("main.cpp"))
        let result = try await ProcessRunner().run(
            ProcessRequest(
                executable: installation.compiler,
                arguments: ["-std=c++17", "-O1", "-Iinclude", "-c", "main.cpp", "-o", "main.o"],
                environment: ChildEnvironment.scrubbed(), workingDirectory: scratch.path, timeout: .seconds(300)))
        guard result.exitCode == 0 else {
            throw ToolMissing("Catch2's main does not compile: " + result.standardError.text.prefix(500))
        }
        // The header first: a kept object means its header is there.
        for (made, place) in [("include", kept.includeDirectory), ("main.o", kept.object)] {
            _ = rename(scratch.appendingPathComponent(made).path, place)
            guard manager.fileExists(atPath: place) else { throw ToolMissing("cannot keep \(place) in the cache") }
        }
        return kept
    }
}
