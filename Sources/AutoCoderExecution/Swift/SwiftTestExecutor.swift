import AutoCoder
import Foundation

/// Runs Swift tests (XCTest and Swift Testing) against generated code.
///
/// autocoder writes the package: its own `Package.swift`, the generated files in `Sources/MODULE/`, the tests in
/// `Tests/MODULETests/`. Each task keeps one package directory with its `.build` across iterations, so only what
/// changed is rebuilt. The build runs outside the sandbox (the manifest is autocoder's and has no plugins or macros);
/// the tests run inside it with `.build` read-only. Normally the tests form an executable target whose entry point
/// is autocoder's (``SwiftSealedMain``): one run of both libraries, sealed (``VerdictSeal``), each test's outcome
/// from the seal, the failure messages from XCTest's console output and Swift Testing's xunit report. When
/// ``XCTestList`` cannot list the XCTest classes for sure, the tests stay a test target with SwiftPM's entry point,
/// run once per library, unsealed. A test result's `duration_ms` includes the build.
public struct SwiftTestExecutor: SandboxedExecutor {
    /// The `swift` driver (a path or a name on `PATH`); `nil` means `swift` on `PATH`.
    public var swift: String?
    /// The limits of the tests' run; under `strict` integrity, the Swift scan's findings stop an attempt before it
    /// is built (``SourceScan/swift``) and the verdict is held to the declared tests (``CompiledVerdict``).
    public var settings: ExecutorSettings
    /// The wall-clock limit of one build.
    public var buildTimeout: Duration
    let workspaces = SwiftWorkspaces()

    public init(
        swift: String? = nil,
        timeout: Duration = ToolchainSettings.defaultTimeout,
        buildTimeout: Duration = .seconds(600),
        outputLimit: Int = 256 * 1024,
        outputKillLimit: Int = 16 * 1_048_576,
        limits: ResourceLimits = ResourceLimits(),
        sandbox: Sandbox = Sandbox(),
        integrity: IntegrityMode = .strict
    ) {
        self.swift = swift
        self.settings = ExecutorSettings(
            timeout: timeout, outputLimit: outputLimit, outputKillLimit: outputKillLimit, limits: limits,
            sandbox: sandbox, integrity: integrity)
        self.buildTimeout = buildTimeout
    }

    /// Deletes the package directories kept between iterations. Call it when the run is over.
    public func removeWorkspaces() async {
        await workspaces.removeAll()
    }

    public func finish() async {
        await removeWorkspaces()
    }

    public func test(_ files: [CodeFile], for task: CodingTask) async throws -> TestResult {
        let start = ContinuousClock.now
        let layout = SwiftPackageLayout(task: task)
        let sources: [CodeFile]
        switch layout.placeGenerated(task.starterFiles.overlaid(with: files)) {
        case .success(let placed): sources = placed
        case .failure(let problem): return TestResult(outcome: .error, message: problem.message)
        }
        var verdict = CompiledVerdict(scan: .swift, mode: integrity)
        if let refusal = verdict.screen(task.starterFiles.overlaid(with: files), tests: task.tests) { return refusal }
        let entryPoint = Self.sealedEntryPoint(for: task.tests, code: sources, layout: layout)
        if entryPoint != nil {
            verdict.seal = VerdictSeal()
            verdict.sealedCasesDecide = true
        }
        let driver: String
        let workspace: Workspace
        do {
            driver = try locateSwift()
            workspace = try await workspaces.acquire(for: task, sandbox: sandbox)
        } catch {
            return TestResult(outcome: .infrastructureError, message: error.localizedDescription)
        }
        let run = try await test(
            sources: sources, tests: layout.placeTests(task.tests), entryPoint: entryPoint, seal: verdict.seal,
            layout: layout, task: task, driver: driver, workspace: workspace, start: start)
        await workspaces.release(workspace, for: task)
        return verdict.judged(run.result, output: run.output, declared: Self.declaredTests(in: task.tests))
    }

    /// autocoder's entry point for these tests at its place in the test target (``SwiftSealedMain``), or `nil` when
    /// the run cannot be sealed: a test file takes its name or is a `main.swift`, or ``XCTestList`` cannot say for
    /// sure which XCTest classes and tests the files declare.
    static func sealedEntryPoint(for tests: [CodeFile], code: [CodeFile] = [], layout: SwiftPackageLayout) -> CodeFile?
    {
        let names = tests.map { ($0.path as NSString).lastPathComponent.lowercased() }
        let ownTypes = SwiftOwnTypes.declarations(in: code).declared.map {
            (name: $0.name, mangled: SwiftOwnTypes.mangledNames(of: $0, module: layout.module))
        }
        guard !names.contains("main.swift"), !names.contains(SwiftSealedMain.fileName.lowercased()),
            let suites = XCTestList.suites(in: tests, declared: xcTestNames(in: tests)),
            let source = SwiftSealedMain.source(for: suites, ownTypes: ownTypes)
        else { return nil }
        return CodeFile(path: "\(layout.testsDirectory)/\(SwiftSealedMain.fileName)", content: source)
    }

    /// XCTest's `func testX()` in the files that import XCTest.
    static func xcTestNames(in tests: [CodeFile]) -> Set<String> {
        var names: Set<String> = []
        for file in tests where file.path.hasSuffix(".swift") && !file.isBinary {
            let code = SourceText.withoutCommentsAndLiterals(file.content)
            if code.firstMatch(of: /(?m)^\s*(?:@testable\s+)?import\s+XCTest\b/) != nil {
                for match in code.matches(of: /\bfunc\s+(test\w*)\s*\(\s*\)/) { names.insert(String(match.1)) }
            }
        }
        return names
    }

    /// The tests that the test files declare: XCTest's `func testX()` in a file that imports XCTest, and Swift
    /// Testing's `@Test` functions; reports name them `testX` and `name(label:)`.
    static func declaredTests(in tests: [CodeFile]) -> DeclaredTests {
        var names = xcTestNames(in: tests)
        for file in tests where file.path.hasSuffix(".swift") && !file.isBinary {
            for match in SourceText.withoutCommentsAndLiterals(file.content).matches(
                of:
                    /@Test\b(?:\s*\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\))?(?:\s*@\w+)*\s*(?:(?:public|internal|private|fileprivate|static|mutating|nonisolated)\s+)*func\s+(\w+)/
            ) {
                names.insert(String(match.1))
            }
        }
        let declared = names
        return DeclaredTests(declared) { reported in
            let function = String(reported.prefix { $0 != "(" })
            return declared.contains(function) ? function : nil
        }
    }

    /// Builds and tests in `workspace`, which the caller holds: the result, and the test runs' raw output (where
    /// the seal is read).
    private func test(
        sources: [CodeFile], tests: [CodeFile], entryPoint: CodeFile?, seal: VerdictSeal?, layout: SwiftPackageLayout,
        task: CodingTask, driver: String, workspace: Workspace, start: ContinuousClock.Instant
    ) async throws -> (result: TestResult, output: String) {
        let manifest = layout.manifest(sealed: entryPoint != nil)
        do {
            try workspace.synchronize(
                [manifest] + sources + tests + [entryPoint].compactMap { $0 }, roots: ["Sources", "Tests"])
        } catch {
            return (TestResult(outcome: .error, message: error.localizedDescription), "")
        }

        let environment = ChildEnvironment.allowlisted(home: workspace.home.path).merging(["NO_COLOR": "1"]) { $1 }
        let build: ProcessResult
        do {
            build = try await ProcessRunner().run(
                ProcessRequest(
                    executable: driver, arguments: entryPoint == nil ? ["build", "--build-tests"] : ["build"],
                    environment: environment, workingDirectory: workspace.directory.path, timeout: buildTimeout,
                    outputLimit: outputLimit,
                    limits: ResourceLimits(fileSizeBytes: limits.fileSizeBytes.map { max($0, 1 << 30) }, openFiles: nil)
                ))
        } catch let error as ProcessLaunchError {
            return (TestResult(outcome: .infrastructureError, message: error.localizedDescription), "")
        }
        if let failed = buildFailure(build, workspace: workspace, start: start) {
            return (SecretRedactor.forCurrentEnvironment().redact(failed), "")
        }
        // The task's variables reach the tests only, not the build.
        let testEnvironment = environment.merging(task.environment) { $1 }
        let runTimeout = settings.timeout(for: task)
        let report = workspace.reportDirectory.appendingPathComponent("swift-testing.xml").path
        try? FileManager.default.removeItem(atPath: report)
        let toolchain = Self.toolchainDirectory(driver)
        var verdict: SwiftTestVerdict
        do {
            if let seal {
                // One run of both libraries; the report's path reaches it on the pipe, after the secret.
                let run = try await runTests(
                    workspace.directory.appendingPathComponent(".build/debug/\(layout.module)Tests").path, [],
                    workspace: workspace, environment: testEnvironment, timeout: runTimeout, toolchain: toolchain,
                    input: seal.secret + "\n" + report + "\n")
                verdict = SwiftTestVerdict(
                    xctest: run, swiftTesting: nil, report: nil, timeout: runTimeout, sealed: true)
            } else {
                let binary = workspace.directory.appendingPathComponent(
                    ".build/debug/\(layout.module)PackageTests.xctest"
                ).path
                let xctest = try await runTests(
                    binary, ["--testing-library", "xctest"], workspace: workspace, environment: testEnvironment,
                    timeout: runTimeout, toolchain: toolchain)
                let left = runTimeout - (ContinuousClock.now - start - .milliseconds(build.durationMs))
                let swiftTesting =
                    xctest.process.timedOut || xctest.outOfMemory || xctest.process.outputLimitExceeded
                    ? nil
                    : try await runTests(
                        binary, ["--testing-library", "swift-testing", "--xunit-output", report],
                        workspace: workspace, environment: testEnvironment, timeout: max(left, .seconds(1)),
                        toolchain: toolchain)
                verdict = SwiftTestVerdict(xctest: xctest, swiftTesting: swiftTesting, report: nil, timeout: runTimeout)
            }
        } catch let error as ProcessLaunchError {
            return (TestResult(outcome: .infrastructureError, message: error.localizedDescription), "")
        }
        verdict.report = workspace.readBack(URL(fileURLWithPath: report))
        var result = verdict.testResult
        result.durationMs = Self.milliseconds(ContinuousClock.now - start)
        return (workspace.finalVerdict(result, tests: tests), verdict.xctest.process.standardOutput.text)
    }

    /// The result of a build that did not succeed, or `nil` when it did.
    private func buildFailure(
        _ build: ProcessResult, workspace: Workspace, start: ContinuousClock.Instant
    ) -> TestResult? {
        let output = build.standardOutput.text + build.standardError.text
        let durationMs = Self.milliseconds(ContinuousClock.now - start)
        if build.timedOut {
            return TestResult(
                outcome: .timeout, durationMs: durationMs, output: output,
                message: "The build did not finish within \(SandboxedRun.seconds(buildTimeout)).")
        }
        guard build.exitCode != 0 else { return nil }
        let errors = SwiftDiagnostics.errors(in: output, workspace: workspace.directory.path)
        guard let first = errors.first else {
            return TestResult(
                outcome: .error, exitCode: build.exitCode, durationMs: durationMs, output: output,
                message: "The build failed (exit \(build.shellExitCode)) without a compiler error.")
        }
        return TestResult(
            outcome: .error, exitCode: build.exitCode, durationMs: durationMs, output: errors.joined(separator: "\n"),
            message: "The code does not compile: \(first.split(separator: "\n").first ?? "")")
    }

    private func runTests(
        _ binary: String, _ arguments: [String], workspace: Workspace, environment: [String: String],
        timeout: Duration, toolchain: String, input: String? = nil
    ) async throws -> SandboxedRun {
        let request = ProcessRequest(
            executable: binary, arguments: arguments, environment: environment,
            workingDirectory: workspace.directory.path, timeout: timeout, outputLimit: outputLimit,
            outputKillLimit: outputKillLimit, limits: limits.withCPUBackstop(for: timeout), input: input,
            inputThroughPipe: input != nil)
        return try await sandbox.run(
            request, writable: workspace.writablePaths,
            readOnly: [workspace.directory.appendingPathComponent(".build").path, toolchain])
    }

    /// The toolchain's `usr` directory (its runtime libraries are under `lib/swift`): what a test bundle or a
    /// compiled program needs of it in the sandbox's view.
    static func toolchainDirectory(_ driver: String) -> String {
        URL(fileURLWithPath: driver).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
            .path
    }

    func locateSwift() throws -> String {
        let name = swift ?? "swift"
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard let found = ExecutableSearch.locate(name, path: path) else {
            throw SwiftToolchainMissing(
                "No Swift toolchain '\(name)' was found on PATH. Install Swift (swift.org) or put it on PATH.")
        }
        return found
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}

/// No Swift toolchain.
public struct SwiftToolchainMissing: Error, LocalizedError, Hashable, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var errorDescription: String? { message }
}
