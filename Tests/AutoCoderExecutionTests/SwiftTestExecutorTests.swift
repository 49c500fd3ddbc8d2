import AutoCoder
import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderExecution

@Suite struct SwiftTestExecutorTests {
    static let xcTests = CodeFile(
        path: "AddXCTests.swift",
        content: """
            import XCTest
            @testable import Solution

            final class AddXCTests: XCTestCase {
                func testAdd() { XCTAssertEqual(add(1, 2), 3, "one and two") }
                func testZero() { XCTAssertEqual(add(0, 0), 0) }
                func testSkip() throws { throw XCTSkip("later") }
            }
            """)
    static let swiftTests = CodeFile(
        path: "AddSwiftTests.swift",
        content: """
            import Testing
            @testable import Solution

            @Test func addWorks() { #expect(add(2, 2) == 4) }
            @Test(arguments: [1, 2]) func identity(x: Int) { #expect(add(x, 0) == x) }
            @Test(.disabled("not now")) func skipped() {}
            """)

    func task(_ tests: [CodeFile] = [xcTests, swiftTests], timeout: Double? = nil) -> CodingTask {
        CodingTask(description: "add", tests: tests, language: .swift, timeoutSeconds: timeout)
    }

    func code(_ body: String) -> [CodeFile] {
        [CodeFile(path: "Solution.swift", content: body)]
    }

    @Test func xctestAndSwiftTestingResultsPerTest() async throws {
        let executor = SwiftTestExecutor()
        let result = try await executor.test(
            code("public func add(_ a: Int, _ b: Int) -> Int { a - b }\n"), for: task())
        await executor.removeWorkspaces()
        #expect(result.outcome == .failed, "\(result.message ?? "") \(result.output)")
        let byName = Dictionary(uniqueKeysWithValues: result.tests.map { ($0.name, $0) })
        #expect(byName["testAdd"]?.outcome == .failed)
        #expect(
            byName["testAdd"]?.message?.contains(#"XCTAssertEqual failed: ("-1") is not equal to ("3") - one and two"#)
                == true)
        #expect(byName["testAdd"]?.suite == "AddXCTests")
        #expect(byName["testZero"]?.outcome == .passed)
        #expect(byName["testSkip"]?.outcome == .skipped)
        #expect(byName["addWorks()"]?.outcome == .failed)
        #expect(byName["addWorks()"]?.message?.contains("Expectation failed") == true)
        #expect(byName["identity(x:)"]?.outcome == .passed)
        #expect(byName["skipped()"]?.outcome == .skipped)
        #expect(result.numSkipped == 2)
    }

    @Test func theSealedEntryPointJudgesKnownIssuesCasesAndAsyncTests() async throws {
        let tests = [
            CodeFile(
                path: "More.swift",
                content: """
                    import Testing
                    @testable import Solution

                    @Suite struct Cases {
                        @Test(arguments: [1, 2, 3]) func identity(x: Int) { #expect(add(x, 0) == x) }
                        @Test func known() { withKnownIssue { #expect(add(1, 1) == 3) } }
                    }
                    """),
            CodeFile(
                path: "AsyncTests.swift",
                content: """
                    import XCTest
                    @testable import Solution

                    final class AsyncTests: XCTestCase {
                        func testLater() async throws {
                            try await Task.sleep(for: .milliseconds(1))
                            XCTAssertEqual(add(2, 3), 5)
                        }
                    }
                    """),
        ]
        #expect(SwiftTestExecutor.sealedEntryPoint(for: tests, layout: SwiftPackageLayout(task: task(tests))) != nil)
        let executor = SwiftTestExecutor()
        let honest = try await executor.test(
            code("public func add(_ a: Int, _ b: Int) -> Int { a + b }\n"), for: task(tests))
        // One argument of three fails: the whole parameterized test fails.
        let wrong = try await executor.test(
            code("public func add(_ a: Int, _ b: Int) -> Int { a == 2 ? 0 : a + b }\n"), for: task(tests))
        await executor.removeWorkspaces()
        #expect(honest.outcome == .passed, "\(honest.summary) \(honest.output)")
        #expect(Set(honest.tests.map(\.name)) == ["identity(x:)", "known()", "testLater"])
        #expect(wrong.outcome == .failed)
        #expect(wrong.tests.first { $0.name == "identity(x:)" }?.outcome == .failed)
        #expect(wrong.tests.first { $0.name == "identity(x:)" }?.suite == "SolutionTests.Cases")
        #expect(!honest.output.contains("@autocoder-seal"))
    }

    @Test func testsTheReaderCannotListKeepSwiftPMsEntryPoint() async throws {
        // A test inherited from a base class: SwiftPM's discovery follows it, the reader does not.
        let nested = CodeFile(
            path: "InheritedTests.swift",
            content: """
                import XCTest
                @testable import Solution

                class BaseTests: XCTestCase {
                    func testAdd() { XCTAssertEqual(add(1, 2), 3) }
                }
                final class MoreTests: BaseTests {}
                """)
        #expect(
            SwiftTestExecutor.sealedEntryPoint(for: [nested], layout: SwiftPackageLayout(task: task([nested]))) == nil)
        let executor = SwiftTestExecutor()
        let result = try await executor.test(
            code("public func add(_ a: Int, _ b: Int) -> Int { a + b }\n"), for: task([nested]))
        await executor.removeWorkspaces()
        #expect(result.outcome == .passed, "\(result.summary) \(result.output)")
        #expect(!result.tests.isEmpty && result.tests.allSatisfy { $0.name == "testAdd" }, "\(result.tests)")
    }

    @Test func passingCodePassesAndTheNextIterationReusesTheBuild() async throws {
        let executor = SwiftTestExecutor()
        let first = try await executor.test(code("public func add(_ a: Int, _ b: Int) -> Int { a * b }\n"), for: task())
        let second = try await executor.test(
            code("public func add(_ a: Int, _ b: Int) -> Int { a + b }\n"), for: task())
        #expect(await executor.workspaces.count == 1)
        await executor.removeWorkspaces()
        #expect(first.outcome == .failed)
        #expect(second.outcome == .passed, "\(second.message ?? "") \(second.output)")
        #expect(second.numPassed == 4)
        #expect(second.durationMs > 0)
    }

    @Test func aCompileErrorIsAnErrorWithItsDiagnostics() async throws {
        let executor = SwiftTestExecutor()
        let result = try await executor.test(code("public func add(_ a: Int, _ b: Int) -> Int { a + }\n"), for: task())
        await executor.removeWorkspaces()
        #expect(result.outcome == .error)
        #expect(
            result.message?.hasPrefix("The code does not compile: Sources/Solution/Solution.swift:1:") == true,
            "\(result.message ?? "")")
        #expect(result.output.contains("error:"))
        #expect(!result.output.contains("/tmp/autocoder-"))
    }

    @Test func generatedFilesMustStayInTheModule() async throws {
        let executor = SwiftTestExecutor()
        let manifest = try await executor.test([CodeFile(path: "Package.swift", content: "// mine")], for: task())
        #expect(manifest.outcome == .error)
        #expect(manifest.message?.contains("writes Package.swift itself") == true)
        let outside = try await executor.test([CodeFile(path: "Tests/SolutionTests/X.swift", content: "")], for: task())
        #expect(outside.message?.contains("outside the module") == true)
        await executor.removeWorkspaces()
    }

    @Test func aHangingTestTimesOutAndACrashIsACrash() async throws {
        let executor = SwiftTestExecutor()
        let hang = try await executor.test(
            code("public func add(_ a: Int, _ b: Int) -> Int { while true {} }\n"),
            for: task([Self.xcTests], timeout: 3))
        #expect(hang.outcome == .timeout)
        let crash = try await executor.test(
            code("public func add(_ a: Int, _ b: Int) -> Int { fatalError(\"boom\") }\n"), for: task([Self.xcTests]))
        await executor.removeWorkspaces()
        #expect(crash.outcome == .crashed, "\(crash.message ?? "") \(crash.output)")
        #expect(crash.tests.first { $0.name == "testAdd" }?.outcome == .error)
    }

    @Test func consoleParserReadsXCTestLines() {
        let output = """
            Test Case 'AddXCTests.testAdd' started at 2026-11-25 09:47:00.935
            /tmp/x/Tests/SolutionTests/XCTests.swift:4: error: AddXCTests.testAdd : XCTAssertEqual failed: ("-1") is not equal to ("3") - deliberate
            Test Case 'AddXCTests.testAdd' failed (0.001 seconds)
            Test Case 'AddXCTests.testSkip' started at 2026-11-25 09:47:00.936
            /tmp/x/Tests/SolutionTests/XCTests.swift:6: AddXCTests.testSkip : Test skipped - later
            Test Case 'AddXCTests.testSkip' skipped (0.0 seconds)
            Test Case 'AddXCTests.testCrash' started at 2026-11-25 09:47:00.937
            """
        let cases = XCTestConsoleParser.parse(output)
        #expect(cases.map(\.name) == ["testAdd", "testSkip", "testCrash"])
        #expect(cases.map(\.outcome) == [.failed, .skipped, .error])
        #expect(cases[0].message == #"XCTAssertEqual failed: ("-1") is not equal to ("3") - deliberate"#)
        #expect(cases[1].message == "Test skipped - later")
    }

    /// Swift 6 mode by default: global mutable state is a build error there, and builds in Swift 5 mode when the
    /// task asks for it. The task's variables reach the tests.
    @Test func theLanguageModeIsTheTasksAndVariablesReachTheTests() async throws {
        let tests = CodeFile(
            path: "CounterTests.swift",
            content: """
                import Foundation
                import Testing
                @testable import Solution

                @Test func counts() {
                    counter += 1
                    #expect(counter == 1)
                    #expect(ProcessInfo.processInfo.environment["COUNTER_MODE"] == "on")
                }
                """)
        let solution = code("public var counter = 0\n")
        let executor = SwiftTestExecutor()
        var task = CodingTask(description: "count", tests: [tests], language: .swift)
        let strict = try await executor.test(solution, for: task)
        #expect(strict.outcome == .error, "\(strict.message ?? "") \(strict.output)")
        #expect(strict.output.contains("concurrency-safe"), "\(strict.output)")

        task.languageMode = "5"
        task.environment = ["COUNTER_MODE": "on"]
        let lenient = try await executor.test(solution, for: task)
        await executor.removeWorkspaces()
        #expect(lenient.outcome == .passed, "\(lenient.message ?? "") \(lenient.output)")
    }
}

/// The Swift integrity scan: a solution that would end the test process or reach the runner by symbol name is
/// refused before it is built under strict, and only reported under warn; honest code has no finding.
@Suite struct SwiftIntegrityTests {
    static let tests = CodeFile(
        path: "AddTests.swift",
        content: """
            import XCTest
            @testable import Solution

            final class AddTests: XCTestCase {
                func testAdd() { XCTAssertEqual(add(1, 2), 3) }
            }
            """)
    let task = CodingTask(description: "add", tests: [tests], language: .swift)

    @Test func exitingFromTheSolutionIsRefusedUnderStrict() async throws {
        let forged = """
            import Foundation
            import XCTest

            public func add(_ a: Int, _ b: Int) -> Int {
                exit(0)
            }
            """
        let executor = SwiftTestExecutor(integrity: .strict)
        let result = try await executor.test([CodeFile(path: "Solution.swift", content: forged)], for: task)
        await executor.removeWorkspaces()
        #expect(result.outcome == .tampered)
        #expect(result.tests.isEmpty, "a refused attempt is not built")
        let rules = result.integrity?.findings.map { "\($0.rule)@\($0.line ?? 0)" } ?? []
        #expect(rules == ["test-machinery-import@2", "process-control@5"])
        #expect(result.message?.contains("The tests were not run") == true)
    }

    @Test func honestCodeAndLookAlikesHaveNoFinding() {
        let honest = """
            // exit(0) in a comment, and "exit(0)" in a string, are not calls.
            public struct Door { public var exitCode = 0 }
            public func add(_ a: Int, _ b: Int) -> Int {
                let note = "signal(2) and abort() are words here"
                _ = note
                return a + b
            }
            """
        #expect(SourceScan.swift.findings(in: [CodeFile(path: "Solution.swift", content: honest)]).isEmpty)
        let patched =
            "import Glibc\n@_silgen_name(\"swift_task_run\") func run()\nfunc f() { setenv(\"X\", \"1\", 1) }\n"
        let found = SourceScan.swift.findings(in: [CodeFile(path: "Solution.swift", content: patched)])
        #expect(found.map(\.rule) == ["introspection", "process-state"])
    }

    @Test func rawMemoryAndEqualityForLiteralsAreFoundAndTheirLookAlikesAreNot() {
        let rules = { (code: String) in
            SourceScan.swift.findings(in: [CodeFile(path: "Solution.swift", content: code)]).map(\.rule)
        }
        #expect(rules("let p = UnsafePointer<UInt8>(bitPattern: 4096)\n") == ["raw-memory"])
        #expect(rules("_ = mprotect(nil, 0, 0)\n") == ["raw-memory"])
        #expect(rules("func f(_ a: [UInt8]) { a.withUnsafeBytes { _ in } }\n") == ["raw-memory"])
        #expect(rules("let x = UInt32(bitPattern: Int32(-1))\nlet pointerCount = 3\n").isEmpty)
        // A type that the tests' literals become: its equality, written or synthesised by the compiler, would judge
        // the tests' expected values (a second attacker's passes: an init that drops the number, an enum of one case).
        let judged = """
            struct Money: Equatable, ExpressibleByIntegerLiteral {
                var cents: Int
                init(integerLiteral value: Int) { cents = value }
                static func == (lhs: Money, rhs: Money) -> Bool { lhs.cents / 100 == rhs.cents / 100 }
            }
            """
        #expect(Set(rules(judged)) == ["forged-equality"])
        #expect(
            Set(
                rules(
                    "enum Total: ExpressibleByIntegerLiteral {\n case any\n init(integerLiteral: Int) { self = .any }\n}\n"
                ))
                == ["forged-equality"])
        #expect(rules("struct N: _ExpressibleByBuiltinIntegerLiteral {}\n") == ["forged-equality"])
        #expect(
            rules(
                judged.replacingOccurrences(of: ", ExpressibleByIntegerLiteral", with: "")
                    .replacingOccurrences(of: "init(integerLiteral value: Int) { cents = value }", with: "")
            ).isEmpty)
        // The framework's names under other spellings, and its import split, attributed or in backticks.
        #expect(rules("public func `XCTAssertEqual`(_ a: Int, _ b: Int) {}\n") == ["shadows-framework"])
        #expect(
            rules("public let XCTAssertEqual: @Sendable (Int, Int) -> Void = { _, _ in }\n") == ["shadows-framework"])
        #expect(rules("func __checkBinaryOperation() {}\n") == ["shadows-framework"])
        #expect(rules("@preconcurrency import Testing\n") == ["test-machinery-import"])
        #expect(rules("import `Testing`\n") == ["test-machinery-import"])
        #expect(Set(rules("import\nTesting\n")) == ["test-machinery-import"])
        #expect(rules("import Foundation\nlet testing = 1\nfunc expect(_ x: Int) -> Int { x }\n").isEmpty)
    }
}

/// A Swift test bundle sees what a pytest run sees: the system directories, the toolchain and its workspace, as
/// the unprivileged user.
@Suite struct SwiftSandboxViewTests {
    @Test func aTestBundleSeesNothingPrivateOfTheHost() async throws {
        try await requireLayers(.filesystemView, .unprivilegedUser)
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        let planted = "\(home)/.autocoder-swift-secret-\(UInt32.random(in: 1_000_000...9_999_999))"
        try "SECRET".write(toFile: planted, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: planted) }
        let tests = CodeFile(
            path: "ViewTests.swift",
            content: """
                import Foundation
                import XCTest
                @testable import Solution

                final class ViewTests: XCTestCase {
                    func testNothingPrivate() {
                        XCTAssertNotEqual(getuid(), 0)
                        for path in [\(String(reflecting: planted)), "/etc/shadow", "/home", "/var/lib"] {
                            XCTAssertNil(FileManager.default.contents(atPath: path), path)
                            XCTAssertFalse(FileManager.default.isReadableFile(atPath: path), path)
                        }
                        XCTAssertEqual(answer(), 42)
                    }
                }
                """)
        let task = CodingTask(description: "view", tests: [tests], language: .swift)
        let executor = SwiftTestExecutor(integrity: .off)
        let result = try await executor.test(
            [CodeFile(path: "Solution.swift", content: "public func answer() -> Int { 42 }\n")], for: task)
        #expect(result.outcome == .passed, "\(result.summary)\n\(result.output)")
        #expect(result.numPassed == 1)
    }
}

/// A reused Swift workspace is written by the code between iterations: its symbolic links must not carry
/// autocoder's writes and removals outside.
@Suite struct SwiftWorkspaceLinkTests {
    @Test func linksLeftInTheWorkspaceAreRemovedNotFollowed() throws {
        let outside = try TemporaryDirectory()
        let kept = outside.url.appendingPathComponent("keep.txt")
        try "mine".write(to: kept, atomically: true, encoding: .utf8)
        let workspace = try Workspace.create()
        defer { workspace.remove() }
        let sources = workspace.directory.appendingPathComponent("Sources")
        try FileManager.default.createSymbolicLink(at: sources, withDestinationURL: outside.url)
        let tests = workspace.directory.appendingPathComponent("Tests/Inner")
        try FileManager.default.createDirectory(
            at: tests.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: tests, withDestinationURL: outside.url)

        try workspace.synchronize(
            [
                CodeFile(path: "Sources/Solution/Solution.swift", content: "let x = 1\n"),
                CodeFile(path: "Tests/Inner/T.swift", content: "let y = 2\n"),
            ], roots: ["Sources", "Tests"])
        #expect(FileManager.default.fileExists(atPath: kept.path), "a file outside was removed through a link")
        let listing = try FileManager.default.contentsOfDirectory(atPath: outside.url.path)
        #expect(listing == ["keep.txt"], "autocoder wrote outside through a link: \(listing)")
        #expect(!Workspace.isSymbolicLink(sources.path))
        #expect(
            try String(contentsOf: sources.appendingPathComponent("Solution/Solution.swift"), encoding: .utf8)
                == "let x = 1\n")
        #expect(!Workspace.isSymbolicLink(tests.path))
    }
}
