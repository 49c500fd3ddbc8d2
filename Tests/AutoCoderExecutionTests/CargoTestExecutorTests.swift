import AutoCoder
import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderExecution

/// Rust through `cargo test --offline` on a crate autocoder writes, for real: pass, fail with the panic's message,
/// a compile error, a crash, a timeout, and code that tries to leave its workspace or reach the network.
@Suite struct CargoTestExecutorTests {
    static let tests = """
        use solution::*;

        #[test]
        fn adds() { assert_eq!(add(1, 2), 3); }

        #[test]
        fn adds_negatives() { assert_eq!(add(-1, -2), -3); }
        """

    func result(
        _ solution: String, tests: String = tests, timeout: Double? = nil, integrity: IntegrityMode = .strict
    ) async throws -> TestResult {
        let task = CodingTask(
            description: "add", tests: [CodeFile(path: "add.rs", content: tests)], language: "rust",
            solutionPath: "src/lib.rs", timeoutSeconds: timeout)
        return try await CargoTestExecutor(timeout: .seconds(120), integrity: integrity).test(
            [CodeFile(path: "src/lib.rs", content: solution)], for: task)
    }

    @Test func passAndFailHaveTheirCasesAndMessages() async throws {
        let passed = try await result("pub fn add(a: i32, b: i32) -> i32 { a + b }\n")
        #expect(passed.outcome == .passed && passed.numPassed == 2, "\(passed.summary) \(passed.output)")
        let failed = try await result("pub fn add(a: i32, b: i32) -> i32 { a - b }\n")
        #expect(failed.outcome == .failed && failed.numFailed == 2, "\(failed.summary)")
        let message = try #require(failed.tests.first { $0.name == "adds" }?.message)
        #expect(message.contains("left: -1") && message.contains("right: 3"), "\(message)")
    }

    /// A test file that brings `std::io::Result` into scope (Exercism's paasio does) still builds with autocoder's
    /// sealing `main` beside it, whose own types are written by their full paths.
    @Test func aTestFileWithItsOwnResultBuilds() async throws {
        let tests =
            "use solution::*;\nuse std::io::Result;\n\n#[test]\nfn adds() -> Result<()> { assert_eq!(add(1, 2), 3); Ok(()) }\n"
        let passed = try await result("pub fn add(a: i32, b: i32) -> i32 { a + b }\n", tests: tests)
        #expect(passed.outcome == .passed && passed.numPassed == 1, "\(passed.summary) \(passed.output)")
    }

    /// A build script never runs: the manifest cargo gets says `build = false`, whatever the reply's said, and keeps
    /// nothing else that changes the build. The script here would have created a file in the workspace.
    @Test func aBuildScriptTheCodeAddsNeverRuns() async throws {
        let manifest = CodeFile(
            path: "Cargo.toml",
            content:
                "[package]\nname = \"solution\"\nversion = \"0.1.0\"\nedition = \"2021\"\nbuild = \"build.rs\"\n\n[profile.dev]\nopt-level = 3\n"
        )
        let sanitized = CargoTestExecutor.sanitized(manifest).content
        #expect(
            sanitized.contains("build = false") && !sanitized.contains("build.rs") && !sanitized.contains("profile"))
        let script = CodeFile(
            path: "build.rs",
            content: "fn main() { panic!(\"the build script ran\"); }\n")
        let task = CodingTask(
            description: "add", tests: [CodeFile(path: "add.rs", content: Self.tests)], language: "rust",
            solutionPath: "src/lib.rs")
        let result = try await CargoTestExecutor(timeout: .seconds(120)).test(
            [CodeFile(path: "src/lib.rs", content: "pub fn add(a: i32, b: i32) -> i32 { a + b }\n"), manifest, script],
            for: task)
        #expect(result.outcome == .passed, "\(result.summary) \(result.output)")
        #expect(!result.output.contains("the build script ran"))
    }

    @Test func aCompileErrorIsAnErrorWithTheDiagnostic() async throws {
        let broken = try await result("pub fn add(a: i32, b: i32) -> i32 { a + }\n")
        #expect(broken.outcome == .error)
        #expect(broken.message?.contains("does not compile") == true, "\(broken.message ?? "")")
        #expect(!broken.output.contains("/tmp/autocoder-"), "the workspace's path is cut from the feedback")
    }

    @Test func aCrashAndATimeoutAreNeverAPass() async throws {
        let aborting = try await result(
            "pub fn add(_: i32, _: i32) -> i32 { std::process::abort() }\n", integrity: .off)
        #expect(aborting.outcome != .passed, "\(aborting.summary)")
        let exiting = try await result("pub fn add(_: i32, _: i32) -> i32 { std::process::exit(0) }\n", integrity: .off)
        #expect(exiting.outcome != .passed, "\(exiting.summary)")
        // Two tests spinning on two threads use up the CPU limit (derived from the timeout) before the wall clock.
        let hanging = try await result("pub fn add(_: i32, _: i32) -> i32 { loop {} }\n", timeout: 20)
        #expect(hanging.outcome == .timeout, "\(hanging.summary)")
    }

    @Test func theCodeCannotWriteOutsideItsWorkspaceNorReachTheNetwork() async throws {
        let directory = try TemporaryDirectory()
        let outside = directory.url.appendingPathComponent("escaped.txt").path
        let listener = try LoopbackListener()
        let hostile = """
            pub fn wrote() -> bool { std::fs::write(\(String(reflecting: outside)), "x").is_ok() }
            pub fn connected() -> bool { std::net::TcpStream::connect(("127.0.0.1", \(listener.port))).is_ok() }
            """
        let tests = """
            use solution::*;

            #[test]
            fn cannot_write_outside() { assert!(!wrote()); }

            #[test]
            fn cannot_connect() { assert!(!connected()); }
            """
        let result = try await result(hostile, tests: tests, integrity: .off)
        #expect(result.outcome == .passed, "\(result.summary) \(result.output)")
        #expect(!FileManager.default.fileExists(atPath: outside))
    }

    @Test func theRegistryKnowsRustByItsFiles() throws {
        let directory = try TemporaryDirectory()
        let task = try TaskLoader(languages: Toolchains.languages).task(
            description: "add", testFiles: [try directory.write("add.rs", Self.tests)])
        #expect(task.language == "rust" && task.solutionPath == "src/lib.rs")
        let reply =
            "```rust\npub fn add(a: i32, b: i32) -> i32 { a + b }\n```\n\nhelpers.rs\n```rust\npub fn one() {}\n```"
        let attempt = ReplyParser(task: task, languages: Toolchains.languages).attempt(from: reply)
        #expect(attempt.files.map(\.path).sorted() == ["src/helpers.rs", "src/lib.rs"])
    }
}
