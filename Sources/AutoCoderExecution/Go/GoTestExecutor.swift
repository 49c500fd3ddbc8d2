import AutoCoder
import Foundation

/// Runs Go tests with `go test -json` on a module autocoder writes (the task's `go.mod`, else `module solution`),
/// in a fresh workspace inside the ``Sandbox``: the build runs there too, with the toolchain's directory read-only,
/// nothing fetched (`GOPROXY=off`) and a build cache of the run's own. The verdict is held to Go's scan, the seal
/// that ``GoSeal``'s `TestMain` prints and the declared `TestXxx` functions (``CompiledVerdict``).
public struct GoTestExecutor: SettingsOnlyExecutor {
    /// Under `strict` integrity, the scan's findings stop an attempt before it is built (``SourceScan/go``).
    public var settings: ExecutorSettings

    public init(settings: ExecutorSettings) {
        self.settings = settings
    }

    static let module = CodeFile(path: "go.mod", content: "module solution\n\ngo 1.18\n")

    public func test(_ files: [CodeFile], for task: CodingTask) async throws -> TestResult {
        guard let goRoot = await Self.goRoot() else {
            return TestResult(outcome: .infrastructureError, message: "No Go toolchain was found: go is not on PATH.")
        }
        let given = task.starterFiles.overlaid(with: files).overlaid(with: task.tests)
        let seal = GoSeal(tests: task.tests, module: GoSeal.module(of: given))
        var verdict = CompiledVerdict(scan: .go, mode: integrity, seal: seal.map { _ in VerdictSeal() })
        verdict.sealedCasesCover = true
        if let refusal = verdict.screen(task.starterFiles.overlaid(with: files), tests: task.tests) { return refusal }
        if let seal,
            let stray = files.first(where: { ($0.path as NSString).deletingLastPathComponent != seal.directory })
        {
            return TestResult(
                outcome: .error,
                message: "The code may add files only to the tests' package (\(seal.packagePattern)), not "
                    + "\(stray.path): a package of its own would be initialised before the test runner.")
        }
        let written = given + (seal?.files ?? [])
        let workspaceFiles = written.contains { $0.path == "go.mod" } ? written : [Self.module] + written
        return try await TestRun.perform(settings, task: task, files: workspaceFiles, tests: task.tests) { run in
            run.environment = Self.environment(goRoot: goRoot, home: run.workspace.home.path)
                .merging(task.environment) { $1 }
            // The seal's secret comes on standard input, which the shell moves to descriptor 3: `go test` hands that
            // on to the test binary (it gives it no standard input). The package is first built without its tests
            // (``buildAloneThenTest``).
            let tests = try await run.step(
                "/bin/sh",
                [
                    "-c", Self.buildAloneThenTest, goRoot + "/bin/go", seal?.packagePattern ?? "./...",
                    Self.testFunctionsAndTypes(in: task.tests),
                ], readOnly: [goRoot], secret: verdict.seal?.secret)
            let declared = Set(task.tests.flatMap { GoTestVerdict.declaredTests(in: $0) })
            let result = GoTestVerdict(
                run: tests, workspace: run.workspace.directory.path, timeout: run.timeout, declaredTests: declared
            ).testResult
            return verdict.judged(result, output: tests.process.standardOutput.text, declared: DeclaredTests(declared))
        }
    }

    /// What `go` needs in the sandbox: its root, a build cache and module path under the run's home, no proxy, no
    /// cgo (no C compiler is called).
    static func environment(goRoot: String, home: String) -> [String: String] {
        var environment = ChildEnvironment.allowlisted(home: home)
        environment["PATH"] = goRoot + "/bin:" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["GOROOT"] = goRoot
        environment["GOCACHE"] = home + "/.cache/go-build"
        environment["GOPATH"] = home + "/go"
        environment["GOPROXY"] = "off"
        environment["GOFLAGS"] = "-mod=mod"
        environment["GOTOOLCHAIN"] = "local"
        environment["GOTELEMETRY"] = "off"
        environment["CGO_ENABLED"] = "0"
        return environment
    }

    /// The toolchain's root (`go env GOROOT`), asked once per process.
    static func goRoot() async -> String? {
        await goRootAnswer.value
    }

    private static let goRootAnswer = AskedOnce(askGoRoot)
}

extension GoTestExecutor {
    /// `go env GOROOT`, when it names a toolchain with go.
    @Sendable static func askGoRoot() async -> String? {
        guard let go = ExecutableSearch.locate("go", path: ProcessInfo.processInfo.environment["PATH"] ?? "") else {
            return nil
        }
        let temporary = FileManager.default.temporaryDirectory.path
        var environment = ChildEnvironment.scrubbed()
        environment["GOCACHE"] = "off"
        environment["HOME"] = temporary
        let result = try? await ProcessRunner().run(
            ProcessRequest(
                executable: go, arguments: ["env", "GOROOT"], environment: environment, workingDirectory: temporary,
                timeout: .seconds(30)))
        guard let result, result.exitCode == 0 else { return nil }
        let path = result.standardOutput.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return FileManager.default.isExecutableFile(atPath: path + "/bin/go") ? path : nil
    }
}
