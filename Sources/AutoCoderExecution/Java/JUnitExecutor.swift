import AutoCoder
import Foundation

/// Runs Java tests: `javac` compiles every `.java` file of the workspace against JUnit 5 and AssertJ, then JUnit's
/// console launcher runs the test classes it finds and writes its XML report outside the working directory. Both
/// run inside the ``Sandbox``, in a fresh workspace, within one timeout.
public struct JUnitExecutor: CodeExecutor {
    public var timeout: Duration
    public var outputLimit: Int
    public var outputKillLimit: Int
    public var limits: ResourceLimits
    public var sandbox: Sandbox
    /// Under `strict`, the scan's findings stop an attempt before it is built (``SourceScan/java``).
    public var integrity: IntegrityMode

    public init(
        timeout: Duration = .seconds(60), outputLimit: Int = 256 * 1024, outputKillLimit: Int = 16 * 1_048_576,
        limits: ResourceLimits = ResourceLimits(), sandbox: Sandbox = Sandbox(), integrity: IntegrityMode = .strict
    ) {
        self.timeout = timeout
        self.outputLimit = outputLimit
        self.outputKillLimit = outputKillLimit
        self.limits = limits
        self.sandbox = sandbox
        self.integrity = integrity
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
        let workspace: Workspace
        switch Workspace.forTestRun(sandbox: sandbox, files: written) {
        case .success(let made): workspace = made
        case .failure(let failure): return failure.result
        }
        defer { workspace.remove() }
        let runTimeout = task.timeoutSeconds.map { Duration.milliseconds(Int($0 * 1000)) } ?? timeout
        let classes = workspace.home.appendingPathComponent("classes").path
        let environment = ChildEnvironment.allowlisted(home: workspace.home.path).merging(task.environment) { $1 }
        let sources = written.map(\.path).filter { $0.hasSuffix(".java") }
        let archives = await JavaClassArchives.shared.archives(for: installation, sealLauncher: sealLauncher)
        let started = ContinuousClock.now
        let compile: SandboxedRun
        let run: SandboxedRun
        do {
            compile = try await sandboxed(
                installation.javaHome + "/bin/javac",
                Self.compilerOptions + archives.options(forCompiler: true) + [
                    "-d", classes, "-encoding", "UTF-8", "-nowarn", "-cp",
                    installation.classPath.joined(separator: ":"),
                ] + sources, environment: environment, workspace: workspace, timeout: runTimeout,
                installation: installation, archives: archives)
            if compile.process.exitCode != 0 || compile.process.timedOut {
                return workspace.finalVerdict(
                    ReportVerdict.compileFailure(
                        compile, compiler: "javac", workspace: workspace.directory.path, timeout: runTimeout,
                        isDiagnostic: { $0.contains(": error:") }), tests: task.tests)
            }
            let left = max(runTimeout - (ContinuousClock.now - started), .seconds(1))
            run = try await sandboxed(
                installation.javaHome + "/bin/java",
                Self.jvmOptions + archives.options(forCompiler: false)
                    + Self.launcherArguments(
                        installation, sealLauncher: sealLauncher, classes: classes,
                        reports: workspace.reportDirectory.path),
                environment: environment, workspace: workspace, timeout: left, installation: installation,
                archives: archives, sealLauncher: sealLauncher, seal: verdict.seal)
        } catch let error as ProcessLaunchError {
            return TestResult(outcome: .infrastructureError, message: error.localizedDescription)
        }
        let report = workspace.readBack(workspace.reportDirectory.appendingPathComponent("TEST-junit-jupiter.xml"))
        let result = ReportVerdict(
            run: run, report: report, workspace: workspace.directory.path, timeout: runTimeout,
            runner: "the JUnit launcher"
        ).testResult
        return workspace.finalVerdict(
            verdict.judged(
                result, output: run.process.standardOutput.text, declared: Self.declaredTests(in: task.tests)),
            tests: task.tests)
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

    func sandboxed(
        _ executable: String, _ arguments: [String], environment: [String: String], workspace: Workspace,
        timeout: Duration, installation: Installation, archives: JavaClassArchives.Archives = .init(),
        sealLauncher: String? = nil, seal: VerdictSeal? = nil
    ) async throws -> SandboxedRun {
        try await sandbox.step(
            executable, arguments, environment: environment, in: workspace, timeout: timeout, outputLimit: outputLimit,
            outputKillLimit: outputKillLimit, limits: limits,
            readOnly: installation.readOnly + archives.paths + (sealLauncher.map { [$0] } ?? []), input: seal?.secret,
            inputThroughPipe: seal != nil)
    }
}
