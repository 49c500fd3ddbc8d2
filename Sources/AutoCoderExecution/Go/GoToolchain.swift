import AutoCoder
import Foundation

/// Go: autocoder writes a module (the task's `go.mod`, else one of its own) and runs `go test -json` on it; the
/// per-test results are the JSON events.
public struct GoToolchain: Toolchain {
    public static let name: Language = "go"

    public init() {}

    public var language: Language { Self.name }
    public var displayName: String { "Go" }
    public var fileExtensions: [String] { ["go"] }

    /// Its source files only: the build obeys or includes other files that the scan never reads.
    public func mayWrite(_ path: String) -> Bool { isSource(path) }
    public var fenceTags: [String] { ["go", "golang"] }
    public var inlineProgramName: String { "main.go" }

    public var environmentFacts: String? {
        "The code is built with Go 1.19 (its standard library has no slices or maps package) and may use the "
            + "standard library only."
    }

    public func solutionPath(for settings: TaskSettings) throws -> String {
        try settings.relativeSolution(default: "solution.go", fileExtension: "go")
    }

    /// Functions, methods, types, and top-level `var`/`const` names.
    public func definedNames(in code: String, includingLocals: Bool) -> Set<String> {
        names(
            matching:
                #"(?m)^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)|^type\s+([A-Za-z_]\w*)|^(?:var|const)\s+([A-Za-z_]\w*)"#,
            in: code)
    }

    public func open(_ settings: ToolchainSettings) -> any ToolchainRuntime {
        PlainRuntime(
            GoTestExecutor(settings: ExecutorSettings(settings)))
    }

    /// No `go` (exit 3).
    public func preflight(_ task: CodingTask, settings: ToolchainSettings) async -> ToolchainProblem? {
        await GoTestExecutor.goRoot() == nil
            ? .unavailable("No Go toolchain was found: go is not on PATH (Debian: apt-get install golang-go).") : nil
    }

    /// The `go` in use.
    public func diagnose(_ settings: ToolchainSettings) async -> ToolchainDiagnosis {
        let root = await GoTestExecutor.goRoot()
        let version =
            root.flatMap { try? String(contentsOfFile: $0 + "/VERSION", encoding: .utf8) }?
            .split(separator: "\n").first.map { " (\($0))" } ?? ""
        return ToolchainDiagnosis(
            language: language, lines: ["Go: \(root.map { $0 + "/bin/go" + version } ?? "not found")"],
            fields: [("go", .text(root.map { $0 + "/bin/go" }))], runtimeDirectories: root.map { [$0] } ?? [],
            problem: root == nil ? "No go was found on PATH." : nil)
    }

    /// A module (`go.mod`): `go test ./...`.
    public func recognise(projectAt root: URL, settings: ToolchainSettings) async -> ProjectFacts? {
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("go.mod").path),
            let goRoot = await GoTestExecutor.goRoot()
        else { return nil }
        return ProjectFacts(testCommand: "\(goRoot)/bin/go test ./...", testPatterns: ["**/*_test.go"])
    }

    public func commandRuntime(_ settings: ToolchainSettings) async -> CommandRuntime {
        guard let root = await GoTestExecutor.goRoot() else { return CommandRuntime() }
        return CommandRuntime(readOnly: [root], path: [root + "/bin"])
    }
}
