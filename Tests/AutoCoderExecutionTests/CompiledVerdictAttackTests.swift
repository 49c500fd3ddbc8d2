import AutoCoder
import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

/// Forged verdicts in the compiled languages, written anew for each attack class of docs/INTEGRITY.md ("Compiled
/// languages"), run for real against a test that asserts `add(2, 2) == 5`: none may come out `passed`. Under
/// `strict` the scan refuses each one before it is built; under `warn` (findings reported, not enforced) the
/// languages with a seal still catch it at run time.
@Suite struct CompiledVerdictAttackTests {
    static let notAPass: Set<TestOutcome> = [.tampered, .failed, .error]

    /// One run of `code` (the last file is the solution) against one test file.
    static func attempt(
        _ executor: some CodeExecutor, _ language: Language, tests: (path: String, content: String),
        code: [(path: String, content: String)]
    ) async throws -> TestResult {
        let task = CodingTask(
            description: "add", tests: [CodeFile(path: tests.path, content: tests.content)], language: language,
            solutionPath: code.last?.path ?? "")
        return try await executor.test(code.map { CodeFile(path: $0.path, content: $0.content) }, for: task)
    }

    /// `tampered` under strict (the scan), and `error` under warn (the seal has no end: the process ended first).
    static func expectRefusedThenUnsealed(_ attempt: (IntegrityMode) async throws -> TestResult) async throws {
        let strict = try await attempt(.strict)
        #expect(strict.outcome == .tampered, "\(strict.summary)")
        let warned = try await attempt(.warn)
        #expect(warned.outcome == .error, "no seal: \(warned.summary) \(warned.output)")
    }

    static func rules(of result: TestResult) -> Set<String> {
        Set(result.integrity?.findings.map(\.rule) ?? [])
    }

    // MARK: Go

    static let goTests = """
        package solution

        import "testing"

        func TestAdd(t *testing.T) {
        \tif got := Add(2, 2); got != 5 {
        \t\tt.Fatalf("Add(2, 2) = %d, want 5", got)
        \t}
        }
        """

    func go(_ solution: String, integrity: IntegrityMode) async throws -> TestResult {
        try await Self.attempt(
            GoTestExecutor(timeout: .seconds(120), integrity: integrity), "go", tests: ("add_test.go", Self.goTests),
            code: [("solution.go", solution)])
    }

    @Test func goForgedLinesThenARawExitBeforeTheTests() async throws {
        let forged = """
            package solution

            import (
            \t"fmt"
            \t"syscall"
            )

            func init() {
            \tfmt.Println("=== RUN   TestAdd")
            \tfmt.Println("--- PASS: TestAdd (0.00s)")
            \tfmt.Println("PASS")
            \tsyscall.Exit(0)
            }

            func Add(a, b int) int { return a + b }
            """
        let strict = try await go(forged, integrity: .strict)
        #expect(strict.outcome == .tampered, "\(strict.summary)")
        #expect(Self.rules(of: strict).isSuperset(of: ["runs-before-main", "process-control"]))
        let warned = try await go(forged, integrity: .warn)
        #expect(warned.outcome == .error, "no seal: \(warned.summary) \(warned.output)")
    }

    @Test func goAPassLinePrintedByTheCodeIsASecondResult() async throws {
        // The runner's words built at run time, so no literal gives them away; the real failure follows.
        let forged = """
            package solution

            import "fmt"

            func Add(a, b int) int {
            \tfmt.Printf("--- PA" + "SS: TestAdd (0.00s)\\n")
            \treturn a + b
            }
            """
        for mode in [IntegrityMode.strict, .warn] {
            let result = try await go(forged, integrity: mode)
            #expect(result.outcome == .tampered, "\(mode): \(result.summary)")
            #expect(result.integrity?.findings.contains { $0.rule == "duplicate-result" && $0.proven } == true)
        }
    }

    @Test func goAnExitTakenByReference() async throws {
        let forged = """
            package solution

            import "os"

            var quit = os.Exit

            func Add(a, b int) int {
            \tquit(0)
            \treturn a + b
            }
            """
        let strict = try await go(forged, integrity: .strict)
        #expect(strict.outcome == .tampered && strict.integrity?.findings.first?.rule == "process-control")
        let warned = try await go(forged, integrity: .warn)
        #expect(Self.notAPass.contains(warned.outcome), "\(warned.summary)")
    }

    @Test func goCodeBeforeTheTestsStealsTheSecretOrFiltersTheTests() async throws {
        // A package-level initialiser runs before TestMain; the seal's package is initialised before it.
        let stealing = """
            package solution

            import (
            \tfmt "fmt"
            \tio "io"
            \tsystem "os"
            )

            var _ = steal()

            func steal() int {
            \tsecret, _ := io.ReadAll(system.NewFile(3, "x"))
            \tfmt.Printf("--- PA" + "SS: TestAdd (0.00s)\\n\\n@auto" + "coder-seal %s end 0\\n", secret)
            \tsystem.Exit(0)
            \treturn 0
            }

            func Add(a, b int) int { return a + b }
            """
        let filtering = """
            package solution

            import (
            \t"fmt"
            \t. "os"
            )

            var _ = filter()

            func filter() int {
            \tArgs = append(Args, "-test.run=^$")
            \tfmt.Println("--- PA" + "SS: TestAdd (0.00s)")
            \treturn 0
            }

            func Add(a, b int) int { return a + b }
            """
        for forged in [stealing, filtering] {
            let strict = try await go(forged, integrity: .strict)
            #expect(strict.outcome == .tampered && Self.rules(of: strict).contains("renamed-import"))
            let warned = try await go(forged, integrity: .warn)
            #expect(warned.outcome == .tampered, "\(warned.summary) \(warned.output)")
            #expect(Self.rules(of: warned).contains { $0 == "forged-seal" || $0 == "forged-report" })
        }
    }

    // MARK: C++

    static let cppTests = """
        #include "adder.h"
        #include <catch2/catch.hpp>

        TEST_CASE("adds two") { REQUIRE(add(2, 2) == 5); }

        TEST_CASE("adds zero") { REQUIRE(add(0, 0) == 0); }
        """

    /// C++ that reads the report's path from its own command line and writes a passing report there.
    static let passingReportAtTheCommandLinesPath = """
        std::ifstream arguments("/proc/self/cmdline");
        std::string all((std::istreambuf_iterator<char>(arguments)), {});
        std::string path = all.substr(all.find("--out") + 6);
        std::ofstream report(path.substr(0, path.find('\\0')));
        report << "<testsuites><testsuite name='t' tests='2' failures='0' errors='0'>"
               << "<testcase classname='t' name='adds two'/><testcase classname='t' name='adds zero'/>"
               << "</testsuite></testsuites>";
        """

    func cpp(
        _ solution: String, header: String = "int add(int a, int b);\n", integrity: IntegrityMode
    ) async throws -> TestResult {
        try await Self.attempt(
            CatchTestExecutor(timeout: .seconds(120), integrity: integrity), "cpp",
            tests: ("adder_test.cpp", Self.cppTests), code: [("adder.h", header), ("adder.cpp", solution)])
    }

    @Test func cppAGlobalConstructorWritesTheReportFromItsCommandLineAndExits() async throws {
        let forged = """
            #include "adder.h"
            #include <fstream>
            #include <string>
            #include <unistd.h>

            namespace {
            struct Forger {
                Forger() {
                    \(Self.passingReportAtTheCommandLinesPath)
                    report.close();
                    _exit(0);
                }
            } forger;
            }  // namespace

            int add(int a, int b) { return a + b; }
            """
        try await Self.expectRefusedThenUnsealed { try await cpp(forged, integrity: $0) }
    }

    @Test func cppAReportAndASealOfItsOwnWrittenWhileTheTestsRun() async throws {
        // No exit: the code writes a passing report where it is told to, and a seal line with a secret it guessed.
        let forged = """
            #include "adder.h"
            #include <cstdio>
            #include <fstream>
            #include <string>

            int add(int a, int b) {
                \(Self.passingReportAtTheCommandLinesPath)
                std::printf("\\n@autocoder-seal 00000000000000000000000000000000 end 0\\n");
                return a + b;
            }
            """
        let warned = try await cpp(forged, integrity: .warn)
        #expect(warned.outcome == .tampered, "\(warned.summary) \(warned.output)")
        #expect(warned.integrity?.findings.contains { $0.rule == "forged-seal" && $0.proven } == true)
    }

    @Test func cppAHeaderThatRedefinesTheAssertions() async throws {
        let header =
            "#include <catch2/catch.hpp>\n#undef REQUIRE\n#define REQUIRE(x) CHECK(true)\nint add(int a, int b);\n"
        let strict = try await cpp(
            "#include \"adder.h\"\nint add(int a, int b) { return a + b; }\n", header: header,
            integrity: .strict)
        #expect(strict.outcome == .tampered && strict.integrity?.findings.first?.rule == "test-machinery")
    }

    // MARK: Java

    static let javaTests = """
        import org.junit.jupiter.api.Test;
        import static org.junit.jupiter.api.Assertions.assertEquals;

        public class AdderTest {
            @Test
            public void addsTwo() { assertEquals(5, Adder.add(2, 2)); }

            @Test
            public void addsZero() { assertEquals(0, Adder.add(0, 0)); }
        }
        """

    func java(_ solution: String, integrity: IntegrityMode) async throws -> TestResult {
        try await Self.attempt(
            JUnitExecutor(timeout: .seconds(120), integrity: integrity), "java",
            tests: ("AdderTest.java", Self.javaTests), code: [("Adder.java", solution)])
    }

    @Test func javaAStaticInitialiserWritesTheReportAndHalts() async throws {
        let forged = """
            import java.nio.file.Files;
            import java.nio.file.Paths;

            public class Adder {
                static {
                    try {
                        String[] arguments = new String(Files.readAllBytes(Paths.get("/proc/self/cmdline"))).split("\\0");
                        for (int index = 0; index < arguments.length; index++) {
                            if (arguments[index].endsWith("AutocoderLauncher") && index + 2 < arguments.length) {
                                Files.write(Paths.get(arguments[index + 2], "TEST-junit-jupiter.xml"),
                                    ("<testsuite name='JUnit Jupiter' tests='2' failures='0' errors='0' skipped='0'>"
                                        + "<testcase name='addsTwo()' classname='AdderTest'/>"
                                        + "<testcase name='addsZero()' classname='AdderTest'/></testsuite>").getBytes());
                            }
                        }
                    } catch (Exception ignored) {
                    }
                    Runtime.getRuntime().halt(0);
                }

                public static int add(int a, int b) { return a + b; }
            }
            """
        try await Self.expectRefusedThenUnsealed { try await java(forged, integrity: $0) }
    }

    @Test func javaAFailureDressedAsASkipThrownByItsFullNameStaysAFailure() async throws {
        // No import for the scan to see; the launcher seals an aborted test as failed, in every mode.
        let forged = """
            public class Adder {
                public static int add(int a, int b) {
                    if (a == 2) throw new org.opentest4j.TestAbortedException("not today");
                    return a + b;
                }
            }
            """
        for mode in [IntegrityMode.strict, .off] {
            let result = try await java(forged, integrity: mode)
            #expect(result.outcome == .failed, "\(mode): \(result.summary)")
            #expect(result.tests.first { $0.name == "addsTwo()" }?.outcome == .failed)
        }
    }

    @Test func javaPassLinesAndAnExitTakenByReference() async throws {
        let forged = """
            import java.util.function.IntConsumer;

            public class Adder {
                public static int add(int a, int b) {
                    System.out.println("\\n@autocoder-seal 0123 case passed 6164647354776f2829 4164646572546573");
                    System.out.println("\\n@autocoder-seal 0123 end 0");
                    IntConsumer quit = System::exit;
                    quit.accept(0);
                    return a + b;
                }
            }
            """
        let strict = try await java(forged, integrity: .strict)
        #expect(strict.outcome == .tampered, "\(strict.summary)")
        let warned = try await java(forged, integrity: .warn)
        #expect(Self.notAPass.contains(warned.outcome), "\(warned.summary) \(warned.output)")
    }

    // MARK: Rust

    static let rustTests = """
        use solution::add;

        #[test]
        fn adds_two() {
            assert_eq!(add(2, 2), 5);
        }

        #[test]
        fn adds_zero() {
            assert_eq!(add(0, 0), 0);
        }
        """

    func rust(_ solution: String, integrity: IntegrityMode) async throws -> TestResult {
        try await Self.attempt(
            CargoTestExecutor(timeout: .seconds(300), integrity: integrity), "rust",
            tests: ("adder.rs", Self.rustTests),
            code: [("src/lib.rs", solution)])
    }

    @Test func rustForgedLinesThenAnExit() async throws {
        let forged = """
            pub fn add(a: i32, b: i32) -> i32 {
                println!("test adds_two ... ok\\ntest adds_zero ... ok");
                println!("\\ntest result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\\n");
                let quit: fn(i32) -> ! = std::process::exit;
                quit(0)
            }
            """
        let strict = try await rust(forged, integrity: .strict)
        #expect(strict.outcome == .tampered, "\(strict.summary)")
        #expect(Self.rules(of: strict).isSuperset(of: ["forged-report", "process-control"]))
    }

    @Test func rustAConstructorInInitArray() async throws {
        let forged = """
            extern "C" fn forge() {
                println!("running 2 tests\\ntest adds_two ... ok\\ntest adds_zero ... ok");
                std::process::exit(0);
            }

            #[used]
            #[link_section = ".init_array"]
            static FORGE: extern "C" fn() = forge;

            pub fn add(a: i32, b: i32) -> i32 { a + b }
            """
        let strict = try await rust(forged, integrity: .strict)
        #expect(strict.outcome == .tampered, "\(strict.summary)")
        #expect(strict.integrity?.findings.contains { $0.rule == "runs-before-main" } == true)
        // The test file is a program of autocoder's with a seal: an exit before its main is never a pass.
        let warned = try await rust(forged, integrity: .warn)
        #expect(warned.outcome == .error, "no seal: \(warned.summary) \(warned.output)")
    }

    @Test func rustAPassLinePrintedByTheCodeIsASecondResult() async throws {
        // The words built at run time; the test goes on and libtest prints its own line for it too.
        let forged = """
            pub fn add(a: i32, b: i32) -> i32 {
                println!("\\n{} adds_two ... {}", "test", "ok");
                a + b
            }
            """
        let warned = try await rust(forged, integrity: .warn)
        #expect(warned.outcome == .tampered, "\(warned.summary) \(warned.output)")
        // libtest's lines are autocoder's own here, and its seal records the failure the printed line denies.
        #expect(Self.rules(of: warned).contains { $0 == "duplicate-result" || $0 == "forged-report" })
    }

    // MARK: Swift (refused before the build under strict; sealed by autocoder's entry point under warn)

    func swift(_ solution: String, tests: CodeFile, integrity: IntegrityMode = .strict) async throws -> TestResult {
        let task = CodingTask(description: "add", tests: [tests], language: "swift", solutionPath: "Solution.swift")
        let executor = SwiftTestExecutor(integrity: integrity)
        let result = try await executor.test([CodeFile(path: "Solution.swift", content: solution)], for: task)
        await executor.removeWorkspaces()
        return result
    }

    static let xctests = CodeFile(
        path: "SolutionTests.swift",
        content: "import XCTest\n@testable import Solution\nfinal class AddTests: XCTestCase {\n"
            + "    func testAdd() { XCTAssertEqual(add(2, 2), 5) }\n}\n")

    static let swiftTestingTests = CodeFile(
        path: "SolutionTests.swift",
        content: "import Testing\n@testable import Solution\n@Test func adds() { #expect(add(2, 2) == 5) }\n")

    @Test func swiftAPassLinePrintedWhileTheTestGoesOnIsDeniedByTheSeal() async throws {
        let forged = """
            public func add(_ a: Int, _ b: Int) -> Int {
                print("Test Case 'AddTests.test" + "Add' pa" + "ssed (0.001 seconds)")
                return a + b
            }
            """
        let result = try await swift(forged, tests: Self.xctests, integrity: .warn)
        #expect(result.outcome == .tampered, "\(result.summary) \(result.output)")
        #expect(Self.rules(of: result).contains { $0 == "forged-report" || $0 == "duplicate-result" })
    }

    @Test func swiftXCTestLinesAndAnExitTakenByReference() async throws {
        let forged = """
            import Foundation

            public func add(_ a: Int, _ b: Int) -> Int {
                print("Test Case 'AddTests.testAdd' passed (0.001 seconds)")
                let quit: (Int32) -> Never = exit
                quit(0)
            }
            """
        try await Self.expectRefusedThenUnsealed { try await swift(forged, tests: Self.xctests, integrity: $0) }
        #expect(try await Self.rules(of: swift(forged, tests: Self.xctests)).isSuperset(of: ["process-control"]))
    }

    @Test func swiftTestingReportWrittenWhereverItMayBeThenAnExit() async throws {
        // The report's path is on no command line now: the code writes a passing one wherever it might be.
        let forged = """
            import Foundation

            public func add(_ a: Int, _ b: Int) -> Int {
                let report = "<testsuites><testsuite name='t' tests='1'><testcase name='adds()'/></testsuite></testsuites>"
                var places = ["report/swift-testing.xml", "../report/swift-testing.xml"]
                if let flag = CommandLine.arguments.firstIndex(of: "--xunit-output") {
                    places.append(CommandLine.arguments[flag + 1])
                }
                for place in places { try? report.write(toFile: place, atomically: true, encoding: .utf8) }
                Foundation.exit(0)
            }
            """
        try await Self.expectRefusedThenUnsealed {
            try await swift(forged, tests: Self.swiftTestingTests, integrity: $0)
        }
    }

    @Test func swiftSealLinesOfItsOwnAreForeign() async throws {
        // Code that prints lines in the seal's form, with a secret it made up or tried to read from its input.
        let forged = """
            public func add(_ a: Int, _ b: Int) -> Int {
                let secret = readLine() ?? "0123456789abcdef0123456789abcdef"
                print("@autocoder" + "-seal \\(secret) case passed 61646473282" + "9")
                print("@autocoder" + "-seal \\(secret) end 0")
                return 5
            }
            """
        for tests in [Self.swiftTestingTests, Self.xctests] {
            let result = try await swift(forged, tests: tests, integrity: .warn)
            #expect(result.outcome == .tampered, "\(result.summary) \(result.output)")
            #expect(Self.rules(of: result).contains("forged-seal"))
        }
    }

    @Test func swiftAFailureDressedAsASkipIsUndeclared() async throws {
        let tests = CodeFile(
            path: "SolutionTests.swift",
            content: """
                import XCTest
                @testable import Solution
                final class AddTests: XCTestCase {
                    func testAdd() throws {
                        let sum = try add(2, 2)
                        XCTAssertEqual(sum, 5)
                    }
                    func testZero() throws { XCTAssertEqual(try add(0, 0), 0) }
                }
                """)
        let forged = """
            import XCTest

            public func add(_ a: Int, _ b: Int) throws -> Int {
                if a == 2 { throw XCTSkip("not today") }
                return a + b
            }
            """
        // With integrity off the skip is taken at its word: the forgery is real.
        #expect(try await swift(forged, tests: tests, integrity: .off).outcome == .passed)
        let warned = try await swift(forged, tests: tests, integrity: .warn)
        #expect(warned.outcome == .tampered, "\(warned.summary)")
        #expect(Self.rules(of: warned).contains("undeclared-skip"))
        #expect(try await swift(forged, tests: tests).outcome == .tampered)
    }

    @Test func swiftTheFrameworksMarkerRewrittenInMemoryBesideForgedLines() async throws {
        // The second attacker's way, written anew: find the secret among the heap's bytes, change the marker in the
        // program's read-only data so the framework's own lines stop counting, and print sealed lines of its own.
        let forged = """
            import Foundation

            nonisolated(unsafe) var done = false

            func regions(_ suffix: String) -> [(UInt, UInt, String)] {
                guard let maps = try? String(contentsOfFile: "/pr" + "oc/self/maps", encoding: .utf8) else { return [] }
                return maps.split(separator: "\\n").compactMap { line in
                    let fields = line.split(separator: " ")
                    guard line.hasSuffix(suffix), let bounds = fields.first?.split(separator: "-"), bounds.count == 2,
                        let low = UInt(bounds[0], radix: 16), let high = UInt(bounds[1], radix: 16)
                    else { return nil }
                    return (low, high, String(fields[1]))
                }
            }

            func secret() -> String? {
                let hex = Set("0123456789abcdef".utf8)
                for (low, high, _) in regions("[heap]") {
                    guard let bytes = UnsafePointer<UInt8>(bitPattern: low) else { continue }
                    var run = 0
                    for index in 0..<Int(high - low) {
                        if hex.contains(bytes[index]) { run += 1; continue }
                        if run == 32, bytes[index] == 10 {
                            return String(decoding: UnsafeBufferPointer(start: bytes + index - 32, count: 32), as: UTF8.self)
                        }
                        run = 0
                    }
                }
                return nil
            }

            func blind() {
                let marker = Array(("@auto" + "coder-seal ").utf8)
                for (low, high, permissions) in regions("Tests") where permissions.hasPrefix("r") {
                    guard let bytes = UnsafeMutablePointer<UInt8>(bitPattern: low) else { continue }
                    let size = Int(high - low)
                    var index = 0
                    while index + marker.count <= size {
                        if (0..<marker.count).allSatisfy({ bytes[index + $0] == marker[$0] }) {
                            let page = UnsafeMutableRawPointer(bitPattern: (low + UInt(index)) & ~UInt(4095))
                            let access = PROT_READ | PROT_WRITE | (permissions.contains("x") ? PROT_EXEC : 0)
                            if mprotect(page, 8192, access) == 0 { bytes[index] = 35 }
                        }
                        index += 1
                    }
                }
            }

            func hex(_ text: String) -> String {
                text.utf8.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
            }

            public func add(_ a: Int, _ b: Int) -> Int {
                if !done, let secret = secret() {
                    done = true
                    blind()
                    let line = "@auto" + "coder-seal " + secret + " "
                    print(line + "case passed " + hex("testAdd") + " " + hex("AddTests"))
                    print(line + "end 0")
                }
                return a + b
            }
            """
        let warned = try await swift(forged, tests: Self.xctests, integrity: .warn)
        #expect(warned.outcome == .tampered, "\(warned.summary) \(warned.output)")
        #expect(Self.rules(of: warned).contains("forged-seal"), "the framework's blinded lines still carry the secret")
        let strict = try await swift(forged, tests: Self.xctests)
        #expect(strict.outcome == .tampered)
        #expect(Self.rules(of: strict).contains("raw-memory"))
    }

    @Test func swiftAnEqualityForATypeTheTestsLiteralsBecome() async throws {
        // Reads both operands, and is true for any values the tests use; the tests' `5` becomes a `Sum`.
        let forged = """
            public struct Sum: Equatable, ExpressibleByIntegerLiteral {
                public var value: Int
                public init(integerLiteral value: Int) { self.value = value }
                public static func == (lhs: Sum, rhs: Sum) -> Bool { lhs.value + rhs.value > -1_000_000 }
            }
            public func add(_ a: Int, _ b: Int) -> Sum { Sum(integerLiteral: a + b) }
            """
        let strict = try await swift(forged, tests: Self.xctests)
        #expect(strict.outcome == .tampered)
        #expect(Self.rules(of: strict).contains("forged-equality"))
    }

    @Test func swiftASecondAttackersStrictPassesAreRefused() async throws {
        // Written anew after a second attacker's six passes under strict: an enum the literal becomes (its equality
        // synthesised by the compiler), and the assertion shadowed by a constant or a backticked function.
        let forgeries = [
            """
            public enum Total: ExpressibleByIntegerLiteral {
                case any
                public init(integerLiteral value: Int) { self = .any }
            }
            public func add(_ a: Int, _ b: Int) -> Total { .any }
            """,
            """
            public func add(_ a: Int, _ b: Int) -> Int { a + b }
            public let XCTAssertEqual: @Sendable (Int, Int) -> Void = { _, _ in }
            """,
            """
            public func add(_ a: Int, _ b: Int) -> Int { a + b }
            public func `XCTAssertEqual`(_ a: @autoclosure () throws -> Int, _ b: @autoclosure () throws -> Int) {}
            """,
        ]
        for forged in forgeries {
            let result = try await swift(forged, tests: Self.xctests)
            #expect(result.outcome == .tampered, "\(result.summary)")
        }
    }
}
