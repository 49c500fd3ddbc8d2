import AutoCoder
import Foundation

/// C++: autocoder compiles every source file with `g++ -std=c++17` against Catch2 (Debian's `catch2`, whose main is
/// compiled once and kept), runs the test program with Catch2's JUnit reporter, and reads the per-test results.
public struct CppToolchain: Toolchain {
    public static let name: Language = "cpp"

    public init() {}

    public var language: Language { Self.name }
    public var displayName: String { "C++" }
    public var fileExtensions: [String] { ["cpp", "cc", "cxx", "h", "hpp", "hh"] }

    /// Its source files only: the build obeys or includes other files that the scan never reads.
    public func mayWrite(_ path: String) -> Bool { isSource(path) }
    public var fenceTags: [String] { ["cpp", "c++", "cxx", "cc", "hpp", "h"] }
    public var inlineProgramName: String { "main.cpp" }

    public var environmentFacts: String? {
        "The code is compiled as C++17 with g++ 12 and may use the standard library (and Boost's headers); the "
            + "tests use Catch2 2."
    }

    public func solutionPath(for settings: TaskSettings) throws -> String {
        try settings.relativeSolution(default: "solution.cpp", fileExtension: "cpp")
    }

    /// Functions, classes, structs, enums, namespaces and type aliases.
    public func definedNames(in code: String, includingLocals: Bool) -> Set<String> {
        names(
            matching:
                #"\b(?:class|struct|enum(?:\s+class)?|namespace|using)\s+([A-Za-z_]\w*)|(?m)^[\w:<>,\s\*&]+?\b([A-Za-z_]\w*)\s*\([^;{]*\)\s*(?:const\s*)?\{"#,
            in: code)
    }

    public func open(_ settings: ToolchainSettings) -> any ToolchainRuntime {
        CppRuntime(
            executor: CatchTestExecutor(settings: ExecutorSettings(settings)))
    }

    /// No g++, or no Catch2 (exit 3).
    public func preflight(_ task: CodingTask, settings: ToolchainSettings) async -> ToolchainProblem? {
        do {
            _ = try CatchTestExecutor.locate()
            return nil
        } catch {
            return .unavailable(error.localizedDescription)
        }
    }

    /// The compiler and Catch2's header.
    public func diagnose(_ settings: ToolchainSettings) async -> ToolchainDiagnosis {
        do {
            let found = try CatchTestExecutor.locate()
            let header = (try? String(contentsOfFile: found.header, encoding: .utf8).prefix(2000)) ?? ""
            let catchVersion = header.firstMatch(of: /Catch v([\d.]+)/).map { " (\($0.1))" } ?? ""
            let compilerVersion = await CatchTestExecutor.version(of: found.compiler).map { " (\($0))" } ?? ""
            return ToolchainDiagnosis(
                language: language,
                lines: ["C++: \(found.compiler)\(compilerVersion), Catch2: \(found.header)\(catchVersion)"],
                fields: [("cxx", .text(found.compiler))])
        } catch {
            return ToolchainDiagnosis(
                language: language, lines: ["C++: not ready (\(error.localizedDescription))"],
                fields: [("cxx", .text(nil))], problem: error.localizedDescription)
        }
    }

    /// Exercism's C++ tests run their hidden cases when `EXERCISM_RUN_ALL_TESTS` is defined.
    public func enablingSkippedTests(in file: CodeFile) -> CodeFile {
        guard isSource(file.path), !file.isBinary, file.content.contains("EXERCISM_RUN_ALL_TESTS") else { return file }
        return CodeFile(path: file.path, content: "#define EXERCISM_RUN_ALL_TESTS\n" + file.content)
    }
}

/// The C++ toolchain opened: nothing is kept between runs but Catch2's compiled main, on disk.
struct CppRuntime: ToolchainRuntime {
    let configured: CatchTestExecutor

    init(executor: CatchTestExecutor) {
        configured = executor
    }

    func executor() -> any CodeExecutor & CodeRunner { configured }

    /// Compiles Catch2's main before the first run needs it.
    func warmUp(workers: Int) async {
        _ = try? await CatchMain.shared.kept(using: CatchTestExecutor.locate())
    }
}
