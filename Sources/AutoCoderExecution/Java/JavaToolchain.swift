import AutoCoder
import Foundation

/// Java: autocoder compiles every `.java` file with `javac` against JUnit 5 and AssertJ (Debian's `junit5` and
/// `libassertj-core-java`), then runs JUnit's console launcher, whose XML report gives the per-test results.
public struct JavaToolchain: Toolchain {
    public static let name: Language = "java"

    public init() {}

    public var language: Language { Self.name }
    public var displayName: String { "Java" }
    public var fileExtensions: [String] { ["java"] }

    /// Its source files only: the build obeys or includes other files that the scan never reads.
    public func mayWrite(_ path: String) -> Bool { isSource(path) }
    public var fenceTags: [String] { ["java"] }
    public var inlineProgramName: String { "Main.java" }

    public var environmentFacts: String? {
        "The code is compiled with Java 17 and may use the JDK only; the tests use JUnit 5 and AssertJ."
    }

    public func solutionPath(for settings: TaskSettings) throws -> String {
        try settings.relativeSolution(default: "Solution.java", fileExtension: "java")
    }

    /// Classes, interfaces, enums, records, and methods.
    public func definedNames(in code: String, includingLocals: Bool) -> Set<String> {
        names(
            matching:
                #"\b(?:class|interface|enum|record)\s+([A-Za-z_$][\w$]*)|(?m)^\s*(?:(?:public|private|protected|static|final|abstract|synchronized)\s+)*[\w<>\[\], ?]+\s+([a-z_$][\w$]*)\s*\([^;{]*\)\s*(?:throws [\w., ]+)?\{"#,
            in: code)
    }

    /// A bare file name goes beside the solution (`src/main/java/`).
    public func placement(ofBareName name: String, solutionPath: String) -> String {
        guard let slash = solutionPath.lastIndex(of: "/") else { return name }
        return String(solutionPath[...slash]) + name
    }

    public func open(_ settings: ToolchainSettings) -> any ToolchainRuntime {
        PlainRuntime(JUnitExecutor(settings: ExecutorSettings(settings)))
    }

    /// No JDK, or no JUnit console launcher (exit 3).
    public func preflight(_ task: CodingTask, settings: ToolchainSettings) async -> ToolchainProblem? {
        do {
            _ = try JUnitExecutor.locate()
            return nil
        } catch {
            return .unavailable(error.localizedDescription)
        }
    }

    /// The JDK and the JUnit launcher in use.
    public func diagnose(_ settings: ToolchainSettings) async -> ToolchainDiagnosis {
        let found: JUnitExecutor.Installation
        do {
            found = try JUnitExecutor.locate()
        } catch {
            return ToolchainDiagnosis(
                language: language, lines: ["Java: not ready (\(error.localizedDescription))"],
                fields: [("javac", .text(nil))], problem: error.localizedDescription)
        }
        let release = (try? String(contentsOfFile: found.javaHome + "/release", encoding: .utf8)) ?? ""
        let version = release.firstMatch(of: /JAVA_VERSION="([^"]+)"/).map { " (\($0.1))" } ?? ""
        return ToolchainDiagnosis(
            language: language, lines: ["Java: \(found.javaHome)/bin/javac\(version), JUnit: \(found.launcher)"],
            fields: [("javac", .text(found.javaHome + "/bin/javac"))], runtimeDirectories: [found.javaHome])
    }

    /// Turns on what `@Disabled` (JUnit 5) or `@Ignore` (JUnit 4, in Exercism's older exercises) turned off.
    public func enablingSkippedTests(in file: CodeFile) -> CodeFile {
        guard isSource(file.path), !file.isBinary else { return file }
        return CodeFile(
            path: file.path,
            content: file.content.replacing(/(?m)^[ \t]*@(?:Disabled|Ignore)(\([^)]*\))?[ \t]*\n/, with: ""))
    }
}
