import AutoCoder
import Foundation

/// Runs C++ tests: `g++` compiles the workspace's source files and links them with Catch2's kept main (unless the
/// tests bring their own), then the program runs with Catch2's JUnit reporter writing outside the working
/// directory. Both run inside the ``Sandbox``, in a fresh workspace, within one timeout. Each test's outcome comes
/// from the seal that the kept main prints (``CatchMain``), the report giving the failures' messages; the verdict
/// is held to C++'s scan and the declared `TEST_CASE`s (``CompiledVerdict``).
public struct CatchTestExecutor: SettingsOnlyExecutor {
    /// Under `strict` integrity, the scan's findings stop an attempt before it is built (``SourceScan/cpp``).
    public var settings: ExecutorSettings

    public init(settings: ExecutorSettings) {
        self.settings = settings
    }

    /// The compiler and Catch2's header.
    public struct Installation: Hashable, Sendable {
        public var compiler: String
        public var header: String
    }

    /// `g++` (or `c++`) on `PATH`, and `catch2/catch.hpp` in the system's include folder.
    /// - Throws: ``ToolMissing`` naming what is missing.
    public static func locate() throws -> Installation {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        guard let compiler = ExecutableSearch.locate("g++", path: path) ?? ExecutableSearch.locate("c++", path: path)
        else { throw ToolMissing("No C++ compiler (g++) was found on PATH (Debian: apt-get install g++).") }
        let header = "/usr/include/catch2/catch.hpp"
        guard FileManager.default.fileExists(atPath: header) else {
            throw ToolMissing("Catch2 2 was not found (\(header)) (Debian: apt-get install catch2).")
        }
        return Installation(compiler: compiler, header: header)
    }

    /// `g++ -dumpfullversion`, or `nil`.
    static func version(of compiler: String) async -> String? {
        let result = try? await ProcessRunner().run(
            ProcessRequest(
                executable: compiler, arguments: ["-dumpfullversion"],
                workingDirectory: FileManager.default.temporaryDirectory.path, timeout: .seconds(10)))
        return result.flatMap {
            $0.exitCode == 0 ? $0.standardOutput.text.trimmingCharacters(in: .whitespacesAndNewlines) : nil
        }
    }

    /// The flags of every build: C++17, the headers beside the sources, and `EXERCISM_TEST_SUITE` so that
    /// Exercism's tests include the system's Catch2 rather than a bundled copy.
    static let compileFlags = ["-std=c++17", "-O1", "-pthread", "-I.", "-DEXERCISM_TEST_SUITE"]

    public func test(_ files: [CodeFile], for task: CodingTask) async throws -> TestResult {
        let installation: Installation
        let kept: CatchMain.Kept
        do {
            installation = try Self.locate()
            kept = try await CatchMain.shared.kept(using: installation)
        } catch {
            return TestResult(outcome: .infrastructureError, message: error.localizedDescription)
        }
        var verdict = CompiledVerdict(scan: .cpp, mode: integrity)
        if let refusal = verdict.screen(task.starterFiles.overlaid(with: files), tests: task.tests) { return refusal }
        let written = task.starterFiles.overlaid(with: files).overlaid(with: task.tests)
        let sources = written.filter { ["cpp", "cc", "cxx"].contains(($0.path as NSString).pathExtension) }
        let ownMain = sources.contains {
            $0.content.contains("CATCH_CONFIG_MAIN") || $0.content.contains("CATCH_CONFIG_RUNNER")
        }
        // Tests that bring their own main have no seal; the declared tests and the scan guard them alone.
        if !ownMain {
            verdict.seal = VerdictSeal()
            verdict.sealedCasesDecide = true
        }
        return try await TestRun.perform(settings, task: task, files: written, tests: task.tests) { run in
            let program = run.workspace.home.appendingPathComponent("tests").path
            let compile = try await run.step(
                installation.compiler,
                (ownMain ? [] : ["-I", kept.includeDirectory]) + Self.compileFlags + ["-o", program]
                    + sources.map(\.path) + (ownMain ? [] : [kept.object]),
                readOnly: ownMain ? [] : [kept.object, kept.includeDirectory])
            if compile.process.exitCode != 0 || compile.process.timedOut {
                return run.compileFailure(compile, compiler: "the compiler") {
                    $0.contains(" error: ") || $0.contains(": error:")
                }
            }
            let report = run.workspace.reportDirectory.appendingPathComponent("junit.xml").path
            let tests = try await run.step(
                program, ["--reporter", "junit", "--out", report, "--warn", "NoAssertions"],
                secret: verdict.seal?.secret)
            let result = run.reportVerdict(tests, report: "junit.xml", runner: "the test program")
            return verdict.judged(
                result, output: tests.process.standardOutput.text,
                declared: DeclaredTests(Self.declaredTests(in: task.tests)))
        }
    }

    /// The names of the `TEST_CASE`s, `TEST_CASE_METHOD`s and `SCENARIO`s (`Scenario: NAME`) that the test files
    /// declare and Catch2 runs by default (not hidden by a `[.]` or `[!hide]` tag); none at all when a file makes
    /// test cases some other way (templates, macros of its own, anonymous ones) or compiles some of them only under
    /// a condition (other than Exercism's own two), whose names cannot be read for sure.
    static func declaredTests(in tests: [CodeFile]) -> Set<String> {
        var names: Set<String> = []
        for file in tests where !file.isBinary {
            let content = file.content.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
            let conditions = content.matches(of: /(?m)^\s*#\s*(?:if|ifdef|ifndef|elif)\b([^\n]*)/).map { String($0.1) }
            let runsAll = content.firstMatch(of: /(?m)^\s*#\s*define\s+EXERCISM_RUN_ALL_TESTS\b/) != nil
            if conditions.contains(where: {
                !$0.contains("EXERCISM_TEST_SUITE") && !(runsAll && $0.contains("EXERCISM_RUN_ALL_TESTS"))
            }) || content.contains("TEMPLATE_TEST_CASE") || content.contains("TEMPLATE_PRODUCT_TEST_CASE")
                || content.firstMatch(of: /#\s*define[^\n]*(TEST_CASE|SCENARIO)/) != nil
                || content.firstMatch(of: /\b(TEST_CASE|SCENARIO)\s*\(\s*\)/) != nil
            {
                return []
            }
            for match in content.matches(
                of:
                    /\b(TEST_CASE|SCENARIO|TEST_CASE_METHOD\s*\(\s*\w+\s*,)\s*\(?\s*"((?:[^"\\]|\\.)*)"(?:\s*,\s*"([^"]*)")?/
            ) {
                if let tags = match.3, tags.contains("[.") || tags.contains("[!hide]") { continue }
                let name = String(match.2).replacingOccurrences(of: "\\\"", with: "\"")
                    .replacingOccurrences(of: "\\\\", with: "\\")
                names.insert(match.1 == "SCENARIO" ? "Scenario: " + name : name)
            }
        }
        return names
    }
}
