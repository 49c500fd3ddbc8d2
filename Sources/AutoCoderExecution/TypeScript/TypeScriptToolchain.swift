import AutoCoder
import Foundation

/// TypeScript: `tsc` (Debian's `node-typescript`) compiles the code and the tests to CommonJS, and the JavaScript
/// toolchain runs what it emits (node's test runner, Jest-style suites included).
public struct TypeScriptToolchain: Toolchain {
    public static let name: Language = "typescript"

    public init() {}

    public var language: Language { Self.name }
    public var displayName: String { "TypeScript" }
    public var fileExtensions: [String] { ["ts", "mts", "cts"] }
    public var fenceTags: [String] { ["typescript", "ts"] }
    public var inlineProgramName: String { "main.ts" }

    public var environmentFacts: String? {
        "The code is compiled with TypeScript 4.8 to CommonJS and runs on Node 20, with its built-in modules only."
    }

    public func solutionPath(for settings: TaskSettings) throws -> String {
        try settings.relativeSolution(default: "solution.ts", fileExtension: "ts")
    }

    /// As JavaScript's, with `interface`, `type` and `enum` declarations.
    public func definedNames(in code: String, includingLocals: Bool) -> Set<String> {
        JavaScriptToolchain().definedNames(in: code, includingLocals: includingLocals).union(
            names(matching: #"(?m)^(?:export\s+)?(?:interface|type|enum)\s+([A-Za-z_$][\w$]*)"#, in: code))
    }

    public func open(_ settings: ToolchainSettings) -> any ToolchainRuntime {
        PlainRuntime(
            TypeScriptExecutor(
                node: NodeTestExecutor(
                    node: settings.interpreters[JavaScriptToolchain.name], settings: ExecutorSettings(settings))))
    }

    /// No node or no tsc (exit 3).
    public func preflight(_ task: CodingTask, settings: ToolchainSettings) async -> ToolchainProblem? {
        do {
            _ = try NodeTestExecutor(node: settings.interpreters[JavaScriptToolchain.name]).locateNode()
            _ = try TypeScriptExecutor.locateCompiler()
            return nil
        } catch {
            return .unavailable(error.localizedDescription)
        }
    }

    /// The `tsc` in use.
    public func diagnose(_ settings: ToolchainSettings) async -> ToolchainDiagnosis {
        do {
            let compiler = try TypeScriptExecutor.locateCompiler()
            let package = URL(fileURLWithPath: compiler).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("package.json")
            let version =
                ((try? String(contentsOf: package, encoding: .utf8)) ?? "")
                .firstMatch(of: /"version"\s*:\s*"([^"]+)"/).map { " (\($0.1))" } ?? ""
            return ToolchainDiagnosis(
                language: language, lines: ["TypeScript: \(compiler)\(version)"], fields: [("tsc", .text(compiler))])
        } catch {
            return ToolchainDiagnosis(
                language: language, lines: ["TypeScript: not ready (\(error.localizedDescription))"],
                fields: [("tsc", .text(nil))], problem: error.localizedDescription)
        }
    }

    /// As JavaScript's: `xtest`, `xit`, `xdescribe` and `.skip` made plain.
    public func enablingSkippedTests(in file: CodeFile) -> CodeFile {
        guard isSource(file.path), !file.isBinary else { return file }
        return CodeFile(path: file.path, content: JavaScriptToolchain.enablingSkippedTests(in: file.content))
    }
}
