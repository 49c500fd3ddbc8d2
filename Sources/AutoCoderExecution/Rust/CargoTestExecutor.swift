import AutoCoder
import Foundation

/// Runs Rust tests with `cargo test --offline` on a crate autocoder writes (its own `Cargo.toml`, the generated
/// files in `src/`, the tests in `tests/`), in a fresh workspace inside the ``Sandbox``; the build runs there too,
/// with the toolchain's directory read-only and nothing fetched. Only the task's test targets run (the code's own
/// `#[test]`s do not judge it); the verdict is held to Rust's scan and the declared `#[test]` functions
/// (``CompiledVerdict``).
public struct CargoTestExecutor: SettingsOnlyExecutor {
    /// Under `strict` integrity, the scan's findings stop an attempt before it is built (``SourceScan/rust``).
    public var settings: ExecutorSettings

    public init(settings: ExecutorSettings) {
        self.settings = settings
    }

    static let manifest = CodeFile(
        path: "Cargo.toml",
        content:
            "[package]\nname = \"solution\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[lib]\npath = \"src/lib.rs\"\n")

    /// The test files where cargo looks for integration tests: a bare file name goes into `tests/`; a path with a
    /// folder (`tests/x.rs`, `src/helpers.rs` given with the tests) stays where it is.
    static func placed(_ tests: [CodeFile]) -> [CodeFile] {
        tests.map { test in
            guard !test.path.contains("/") else { return test }
            return test.isBinary
                ? CodeFile(path: "tests/" + test.path, data: test.bytes)
                : CodeFile(path: "tests/" + test.path, content: test.content)
        }
    }

    /// The manifest a reply or a task gives, as cargo gets it: its package, library, dependencies and features, and
    /// nothing that runs or changes the build (`build = false` whatever it said; no `links`, profiles, targets,
    /// patches or workspace). A build script the code adds would otherwise run before the tests, in the sandbox,
    /// able to rewrite what they compile into.
    static func sanitized(_ manifest: CodeFile) -> CodeFile {
        guard !manifest.isBinary else { return Self.manifest }
        let kept: Set<String> = ["package", "lib", "dependencies", "dev-dependencies", "features"]
        var keeping = true
        var section = ""
        var lines: [String] = []
        for line in manifest.content.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") {
                section = trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
                keeping = kept.contains(section)
                if keeping { lines.append(line) }
                if section == "package" { lines.append("build = false") }
                continue
            }
            guard keeping else { continue }
            let key = trimmed.split(separator: "=").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if ["build", "links", "proc-macro", "harness", "plugin", "workspace", "autobins", "autoexamples"]
                .contains(key)
            {
                continue
            }
            lines.append(line)
        }
        return CodeFile(path: manifest.path, content: lines.joined(separator: "\n"))
    }

    public func test(_ files: [CodeFile], for task: CodingTask) async throws -> TestResult {
        guard let sysroot = await Self.sysroot() else {
            return TestResult(
                outcome: .infrastructureError, message: "No Rust toolchain was found: rustc is not on PATH.")
        }
        var verdict = CompiledVerdict(scan: .rust, mode: integrity)
        if let refusal = verdict.screen(task.starterFiles.overlaid(with: files), tests: task.tests) { return refusal }
        let tests = Self.placed(task.tests)
        // The task's own manifest (an Exercism exercise's names the crate its tests use), else autocoder's.
        let code = task.starterFiles.overlaid(with: files)
        let manifest = Self.sanitized(code.first { $0.path == "Cargo.toml" } ?? Self.manifest)
        let seal = RustSeal(tests: tests, manifest: manifest)
        if let seal {
            var sealing = VerdictSeal()
            sealing.caseNames = seal.names
            verdict.seal = sealing
            verdict.sealedCasesDecide = true
        }
        let written =
            code.filter { $0.path != "Cargo.toml" } + [seal?.manifest ?? manifest] + (seal?.tests ?? tests)
        let checked = seal?.tests ?? tests
        return try await TestRun.perform(settings, task: task, files: written, tests: checked) { run in
            run.environment["PATH"] = sysroot + "/bin:" + (run.environment["PATH"] ?? "/usr/bin:/bin")
            let cargoHome = run.workspace.home.appendingPathComponent(".cargo")
            run.environment["CARGO_HOME"] = cargoHome.path
            run.environment["CARGO_TERM_COLOR"] = "never"
            let registry = Self.localRegistry()
            if let registry {
                try FileManager.default.createDirectory(at: cargoHome, withIntermediateDirectories: true)
                try Data(Self.registryConfiguration(registry).utf8).write(
                    to: cargoHome.appendingPathComponent("config.toml"))
            }
            let tested = try await run.step(
                sysroot + "/bin/cargo", ["test", "--offline", "--no-fail-fast"] + Self.targets(of: tests),
                readOnly: [sysroot] + (registry.map { [$0] } ?? []), secret: verdict.seal?.secret)
            let result = CargoTestVerdict(run: tested, workspace: run.workspace.directory.path, timeout: run.timeout)
                .testResult
            return verdict.judged(
                result, output: tested.process.standardOutput.text, declared: Self.declaredTests(in: tests))
        }
    }

    /// The test targets to run: the integration tests alone (`--test '*'`) when every test file is one, so that
    /// the code's own unit tests neither run nor judge it; otherwise every test target (`--tests`).
    static func targets(of tests: [CodeFile]) -> [String] {
        tests.allSatisfy({ $0.path.hasPrefix("tests/") }) ? ["--test", "*"] : ["--tests"]
    }

    /// The `#[test]` functions of the test files; libtest names them by their path in the crate (`add`,
    /// `tests::add`). None at all when a file makes tests with macros or compiles some under a condition, whose
    /// names cannot be read for sure.
    static func declaredTests(in tests: [CodeFile]) -> DeclaredTests {
        var names: Set<String> = []
        for file in tests where file.path.hasSuffix(".rs") && !file.isBinary {
            if file.content.contains("macro_rules!") || file.content.contains("#[cfg(")
                || file.content.contains("#![cfg(")
            {
                return DeclaredTests([])
            }
            for match in file.content.matches(
                of: /#\[test\](?:\s*#\[[^\]]*\])*\s*(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+(\w+)/)
            {
                names.insert(String(match.1))
            }
        }
        let declared = names
        return DeclaredTests(declared) { reported in
            let function = String(reported.split(separator: ":").last ?? "")
            return declared.contains(function) ? function : nil
        }
    }

    /// The crates this machine has (Debian's `librust-*-dev` packages put them in a directory source), or `nil`:
    /// cargo takes a crate's dependencies from there instead of crates.io, which is never reached.
    static func localRegistry() -> String? {
        let path =
            ProcessInfo.processInfo.environment["AUTOCODER_CARGO_REGISTRY"] ?? "/usr/share/cargo/registry"
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
            ? path : nil
    }

    /// cargo's configuration that replaces crates.io with the directory source `registry`.
    static func registryConfiguration(_ registry: String) -> String {
        "[source.crates-io]\nreplace-with = \"local\"\n\n[source.local]\ndirectory = \"\(registry)\"\n"
    }

    /// The active toolchain's directory (`rustc --print sysroot`), asked once per process.
    static func sysroot() async -> String? {
        await sysrootAnswer.value
    }

    private static let sysrootAnswer = AskedOnce(askSysroot)
}

extension CargoTestExecutor {
    /// `rustc --print sysroot`, when it names a toolchain with cargo.
    @Sendable static func askSysroot() async -> String? {
        guard let rustc = ExecutableSearch.locate("rustc", path: ProcessInfo.processInfo.environment["PATH"] ?? "")
        else { return nil }
        // rustup's proxies find their toolchains through RUSTUP_HOME, else ~/.rustup; with another HOME, the
        // .rustup beside the proxies' .cargo is the one they were installed with.
        var environment = ChildEnvironment.scrubbed()
        let beside = URL(fileURLWithPath: rustc).resolvingSymlinksInPath().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".rustup").path
        if environment["RUSTUP_HOME"] == nil, FileManager.default.fileExists(atPath: beside) {
            environment["RUSTUP_HOME"] = beside
        }
        let result = try? await ProcessRunner().run(
            ProcessRequest(
                executable: rustc, arguments: ["--print", "sysroot"], environment: environment,
                workingDirectory: FileManager.default.temporaryDirectory.path, timeout: .seconds(30)))
        guard let result, result.exitCode == 0 else { return nil }
        let path = result.standardOutput.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return FileManager.default.isExecutableFile(atPath: path + "/bin/cargo") ? path : nil
    }
}
