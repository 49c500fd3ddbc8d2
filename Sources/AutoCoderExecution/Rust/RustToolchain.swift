import AutoCoder
import Foundation

/// Rust: autocoder writes a crate (`src/lib.rs` and the tests in `tests/`) and runs `cargo test --offline`; the
/// per-test results are libtest's lines.
public struct RustToolchain: Toolchain {
    public static let name: Language = "rust"

    public init() {}

    public var language: Language { Self.name }
    public var displayName: String { "Rust" }
    public var fileExtensions: [String] { ["rs"] }

    /// Its source files, and the crate's manifest (autocoder rewrites it: dependencies only, no build script).
    public func mayWrite(_ path: String) -> Bool { isSource(path) || path == "Cargo.toml" }
    public var fenceTags: [String] { ["rust", "rs"] }
    public var inlineProgramName: String { "main.rs" }

    public var environmentFacts: String? {
        "The crate is built with Rust 2021 and may use the standard library and the crates its Cargo.toml names; "
            + "nothing is downloaded."
    }

    /// `src/lib.rs` unless the task names another file under `src/`.
    public func solutionPath(for settings: TaskSettings) throws -> String {
        let name = try settings.relativeSolution(default: "src/lib.rs", fileExtension: "rs")
        return name.hasPrefix("src/") ? name : "src/" + name
    }

    public func definedNames(in code: String, includingLocals: Bool) -> Set<String> {
        names(matching: #"\b(?:fn|struct|enum|trait|type|const|static|mod)\s+([A-Za-z_]\w*)"#, in: code)
    }

    /// A bare file name (`helpers.rs`) belongs beside the solution, in `src/`.
    public func placement(ofBareName name: String, solutionPath: String) -> String {
        // The crate's manifest stays at its root; sources go beside the solution.
        guard name != "Cargo.toml", let slash = solutionPath.lastIndex(of: "/") else { return name }
        return String(solutionPath[...slash]) + name
    }

    public func open(_ settings: ToolchainSettings) -> any ToolchainRuntime {
        PlainRuntime(
            CargoTestExecutor(settings: ExecutorSettings(settings)))
    }

    /// No Rust toolchain (exit 3).
    public func preflight(_ task: CodingTask, settings: ToolchainSettings) async -> ToolchainProblem? {
        await CargoTestExecutor.sysroot() == nil
            ? .unavailable("No Rust toolchain was found: rustc is not on PATH (install it with rustup).") : nil
    }

    /// The toolchain's directory.
    public func diagnose(_ settings: ToolchainSettings) async -> ToolchainDiagnosis {
        let sysroot = await CargoTestExecutor.sysroot()
        var version = ""
        if let sysroot,
            let result = try? await ProcessRunner().run(
                ProcessRequest(
                    executable: sysroot + "/bin/rustc", arguments: ["--version"],
                    workingDirectory: FileManager.default.temporaryDirectory.path, timeout: .seconds(10))),
            result.exitCode == 0
        {
            version = " (" + result.standardOutput.text.trimmingCharacters(in: .whitespacesAndNewlines) + ")"
        }
        return ToolchainDiagnosis(
            language: language, lines: ["Rust: \(sysroot.map { $0 + "/bin/cargo" + version } ?? "not found")"],
            fields: [("cargo", .text(sysroot.map { $0 + "/bin/cargo" }))],
            runtimeDirectories: sysroot.map { [$0] } ?? [],
            problem: sysroot == nil ? "No Rust toolchain was found on PATH." : nil)
    }

    /// A crate (`Cargo.toml`): `cargo test --offline`.
    public func recognise(projectAt root: URL, settings: ToolchainSettings) async -> ProjectFacts? {
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("Cargo.toml").path),
            let sysroot = await CargoTestExecutor.sysroot()
        else { return nil }
        return ProjectFacts(testCommand: "\(sysroot)/bin/cargo test --offline", testPatterns: ["tests/**"])
    }

    public func commandRuntime(_ settings: ToolchainSettings) async -> CommandRuntime {
        guard let sysroot = await CargoTestExecutor.sysroot() else { return CommandRuntime() }
        return CommandRuntime(readOnly: [sysroot], path: [sysroot + "/bin"])
    }
}

extension RustToolchain {
    /// Without its `#[ignore]` attributes.
    public func enablingSkippedTests(in file: CodeFile) -> CodeFile {
        guard isSource(file.path), !file.isBinary else { return file }
        return CodeFile(
            path: file.path, content: file.content.replacing(/(?m)^[ \t]*#\[ignore[^\]]*\][ \t]*\n/, with: ""))
    }
}
