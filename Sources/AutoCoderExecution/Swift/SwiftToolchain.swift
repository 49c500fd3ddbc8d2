import AutoCoder
import Foundation

/// Swift: autocoder writes a package (the solution's module and its test target); XCTest and Swift Testing run
/// its tests.
public struct SwiftToolchain: Toolchain {
    public static let name: Language = "swift"

    public init() {}

    public var language: Language { Self.name }
    public var displayName: String { "Swift" }
    public var fileExtensions: [String] { ["swift"] }

    /// Its source files, but not a package manifest, which SwiftPM runs as a program.
    public func mayWrite(_ path: String) -> Bool {
        isSource(path) && (path as NSString).lastPathComponent != "Package.swift"
    }
    public var fenceTags: [String] { ["swift"] }
    public var inlineProgramName: String { "main.swift" }

    /// `Sources/MODULE/FILE`: the module from `module` (default `Solution`), the file from `solution` (default
    /// `MODULE.swift`).
    public func solutionPath(for settings: TaskSettings) throws -> String {
        let module = settings.module ?? "Solution"
        guard TaskSettings.isIdentifier(module) else {
            throw InputError("The module name '\(module)' must be a Swift identifier such as 'Solution'.")
        }
        let file = settings.solution.map { $0.hasSuffix(".swift") ? $0 : $0 + ".swift" } ?? "\(module).swift"
        guard !file.contains("/") else {
            throw InputError("The solution name '\(file)' must be a file name such as '\(module).swift'.")
        }
        return "Sources/\(module)/\(file)"
    }

    public func definedNames(in code: String, includingLocals: Bool) -> Set<String> {
        names(
            matching: #"\b(?:func|struct|class|enum|protocol|actor|typealias|extension|let|var)\s+([A-Za-z_]\w*)"#,
            in: code)
    }

    /// A bare name (`Stack.swift`) belongs in the solution's module directory (`Sources/Solution/Stack.swift`).
    public func placement(ofBareName name: String, solutionPath: String) -> String {
        guard let slash = solutionPath.lastIndex(of: "/") else { return name }
        return String(solutionPath[...slash]) + name
    }

    /// `import M` and `@testable import M`: the files of the package's `Sources/M/`.
    public func importedFiles(by code: String, at path: String, among files: Set<String>) -> [String] {
        let modules = code.matches(of: /(?m)^\s*(?:@testable\s+)?import\s+(\w+)/).map { String($0.1) }
        return files.filter { file in modules.contains { file.hasPrefix("Sources/\($0)/") } }.sorted()
    }

    /// A runtime whose executors each keep their task's package directories until they are finished.
    public func open(_ settings: ToolchainSettings) -> any ToolchainRuntime {
        SwiftRuntime(settings: settings, driver: settings.interpreters[language])
    }

    /// No `swift` driver (exit 3).
    public func preflight(_ task: CodingTask, settings: ToolchainSettings) async -> ToolchainProblem? {
        do {
            _ = try SwiftTestExecutor(swift: settings.interpreters[language]).locateSwift()
            return nil
        } catch {
            return .unavailable(error.localizedDescription)
        }
    }

    /// A package (`Package.swift`): `swift test`.
    public func recognise(projectAt root: URL, settings: ToolchainSettings) async -> ProjectFacts? {
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) else {
            return nil
        }
        let driver = (try? SwiftTestExecutor(swift: settings.interpreters[language]).locateSwift()) ?? "swift"
        return ProjectFacts(testCommand: "\(driver) test", testPatterns: ["Tests/**"])
    }

    /// The toolchain's directory, and its `bin` first on `PATH`.
    public func commandRuntime(_ settings: ToolchainSettings) async -> CommandRuntime {
        guard let driver = try? SwiftTestExecutor(swift: settings.interpreters[language]).locateSwift() else {
            return CommandRuntime()
        }
        return CommandRuntime(
            readOnly: [SwiftTestExecutor.toolchainDirectory(driver)],
            path: [URL(fileURLWithPath: driver).deletingLastPathComponent().path])
    }

    /// The `swift` driver in use.
    public func diagnose(_ settings: ToolchainSettings) async -> ToolchainDiagnosis {
        let driver = try? SwiftTestExecutor(swift: settings.interpreters[language]).locateSwift()
        return ToolchainDiagnosis(
            language: language, lines: ["Swift: \(driver ?? "not found")"], fields: [("swift", .text(driver))],
            runtimeDirectories: driver.map { [SwiftTestExecutor.toolchainDirectory($0)] } ?? [],
            problem: driver == nil ? "No Swift toolchain was found on PATH." : nil)
    }
}

/// The Swift toolchain opened: each executor keeps its own package directories (removed when it is finished).
struct SwiftRuntime: ToolchainRuntime {
    let settings: ToolchainSettings
    let driver: String?

    func executor() -> any CodeExecutor & CodeRunner {
        SwiftTestExecutor(
            swift: driver, timeout: settings.timeout, sandbox: settings.sandbox, integrity: settings.integrity)
    }
}

extension SwiftToolchain {
    /// Exercism's Swift track runs all but its first test only when `RUNALL` is set in the environment: the
    /// constant that reads it is made `true`, as every other track's skipped tests are turned on.
    public func enablingSkippedTests(in file: CodeFile) -> CodeFile {
        guard file.path.hasSuffix(".swift"), !file.isBinary, file.content.contains("RUNALL") else { return file }
        return CodeFile(
            path: file.path,
            content: file.content.replacing(/(?m)^(\s*(?:(?:private|fileprivate|internal)\s+)?let\s+RUNALL\s*=).*$/) {
                "\($0.1) true"
            })
    }
}
