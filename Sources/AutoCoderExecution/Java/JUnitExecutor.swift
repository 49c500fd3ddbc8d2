import AutoCoder
import Foundation

/// Runs Java tests: `javac` compiles every `.java` file of the workspace against JUnit 5 and AssertJ, then JUnit's
/// console launcher runs the test classes it finds and writes its XML report outside the working directory. Both
/// run inside the ``Sandbox``, in a fresh workspace, within one timeout.
public struct JUnitExecutor: SettingsOnlyExecutor {
    /// Under `strict` integrity, the scan's findings stop an attempt before it is built (``SourceScan/java``).
    public var settings: ExecutorSettings

    public init(settings: ExecutorSettings) {
        self.settings = settings
    }

    /// Where the JDK and the test libraries are.
    public struct Installation: Hashable, Sendable {
        public var javaHome: String
        /// JUnit's console launcher (the standalone jar, which carries JUnit Jupiter).
        public var launcher: String
        /// The other jars on the class path (AssertJ and what it needs).
        public var libraries: [String]

        var classPath: [String] { [launcher] + libraries }
        var readOnly: [String] { [javaHome] + Set(classPath.map { ($0 as NSString).deletingLastPathComponent }) }
    }

    /// The folders searched for the jars: `$AUTOCODER_JAVA_LIBRARIES` (colon-separated), then Debian's.
    static var libraryFolders: [String] {
        (ProcessInfo.processInfo.environment["AUTOCODER_JAVA_LIBRARIES"]?.split(separator: ":").map(String.init) ?? [])
            + ["/usr/share/java"]
    }

    /// The JDK (from `javac` on `PATH`) and the jars.
    /// - Throws: ``ToolMissing`` naming what is missing.
    public static func locate() throws -> Installation {
        guard let javac = ExecutableSearch.locate("javac", path: ProcessInfo.processInfo.environment["PATH"] ?? "")
        else { throw ToolMissing("No javac was found on PATH (Debian: apt-get install default-jdk-headless).") }
        let home = URL(fileURLWithPath: javac).resolvingSymlinksInPath().deletingLastPathComponent()
            .deletingLastPathComponent().path
        func jar(_ name: String) -> String? {
            libraryFolders.map { $0 + "/" + name }.first { FileManager.default.fileExists(atPath: $0) }
        }
        guard let launcher = jar("junit-platform-console-standalone.jar") else {
            throw ToolMissing(
                "JUnit's console launcher (junit-platform-console-standalone.jar) was not found in "
                    + "\(libraryFolders.joined(separator: ", ")) (Debian: apt-get install junit5).")
        }
        return Installation(
            javaHome: home, launcher: launcher,
            libraries: ["assertj-core.jar", "byte-buddy.jar", "hamcrest.jar"].compactMap(jar))
    }

    public func test(_ files: [CodeFile], for task: CodingTask) async throws -> TestResult {
        let installation: Installation
        let sealLauncher: String
        do {
            installation = try Self.locate()
            sealLauncher = try await JavaSealLauncher.shared.jar(for: installation)
        } catch {
            return TestResult(outcome: .infrastructureError, message: error.localizedDescription)
        }
        var verdict = CompiledVerdict(scan: .java, mode: integrity, seal: VerdictSeal(), sealedCasesDecide: true)
        if let refusal = verdict.screen(task.starterFiles.overlaid(with: files), tests: task.tests) { return refusal }
        let written = task.starterFiles.overlaid(with: files).overlaid(with: task.tests)
        let sources = written.map(\.path).filter { $0.hasSuffix(".java") }
        let archives = await JavaClassArchives.shared.archives(for: installation, sealLauncher: sealLauncher)
        let readOnly = installation.readOnly + archives.paths
        return try await TestRun.perform(settings, task: task, files: written, tests: task.tests) { run in
            let classes = run.workspace.home.appendingPathComponent("classes").path
            let compile = try await run.step(
                installation.javaHome + "/bin/javac",
                Self.compilerOptions + archives.options(forCompiler: true) + [
                    "-d", classes, "-encoding", "UTF-8", "-nowarn", "-cp",
                    installation.classPath.joined(separator: ":"),
                ] + sources, readOnly: readOnly)
            if compile.process.exitCode != 0 || compile.process.timedOut {
                return run.compileFailure(compile, compiler: "javac") { $0.contains(": error:") }
            }
            let tests = try await run.step(
                installation.javaHome + "/bin/java",
                Self.jvmOptions + archives.options(forCompiler: false)
                    + Self.launcherArguments(
                        installation, sealLauncher: sealLauncher, classes: classes,
                        reports: run.workspace.reportDirectory.path),
                readOnly: readOnly + [sealLauncher], secret: verdict.seal?.secret)
            let result = run.reportVerdict(tests, report: "TEST-junit-jupiter.xml", runner: "the JUnit launcher")
            return verdict.judged(
                result, output: tests.process.standardOutput.text, declared: Self.declaredTests(in: task.tests))
        }
    }

    /// The methods that the test files mark `@Test`, `@ParameterizedTest` or `@RepeatedTest`; a report names them
    /// `add()`, `add(int)[1]` or `[1] add`. None at all when a file makes tests at run time (`@TestFactory`,
    /// `@TestTemplate`), whose names cannot be read.
    static func declaredTests(in tests: [CodeFile]) -> DeclaredTests {
        var names: Set<String> = []
        for file in tests where file.path.hasSuffix(".java") && !file.isBinary {
            if file.content.contains("@TestFactory") || file.content.contains("@TestTemplate") {
                return DeclaredTests([])
            }
            // Read without comments and literals: a comment between a test's annotations and its method (Exercism's
            // perfect-numbers) hid the method.
            for match in SourceText.withoutCommentsAndLiterals(file.content).matches(
                of:
                    /@(?:Test|ParameterizedTest|RepeatedTest)\b(?:\s*\([^)]*\))?(?:\s*@\w+(?:\s*\((?:[^()]|\([^)]*\))*\))?)*\s*(?:(?:public|protected|private|static|final)\s+)*void\s+(\w+)\s*\(/
            ) {
                names.insert(String(match.1))
            }
        }
        let declared = names
        return DeclaredTests(declared) { reported in
            let method = String(reported.prefix { $0 != "(" && $0 != "[" })
            return declared.contains(method) ? method : nil
        }
    }

    /// A JVM for short runs: one GC thread, the class-data archive, no perf file. (Both compilers stay: the quick one
    /// alone makes a search-heavy exercise 2.7 times slower.)
    static let jvmOptions = ["-XX:+UseSerialGC", "-Xshare:auto", "-XX:-UsePerfData"]

    /// javac's own JVM: a short run, where the quick compiler alone starts 0.25 s sooner (measured here).
    static let compilerOptions = ["-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-XX:-UsePerfData"]

    /// `java`'s arguments after its options: autocoder's launcher (``JavaSealLauncher``) on JUnit's console jar,
    /// running the tests in `classes` with the libraries, its XML report in `reports`.
    static func launcherArguments(
        _ installation: Installation, sealLauncher: String, classes: String, reports: String
    ) -> [String] {
        ["-cp", sealLauncher + ":" + installation.launcher, JavaSealLauncher.mainClass, classes, reports]
            + installation.libraries
    }
}
