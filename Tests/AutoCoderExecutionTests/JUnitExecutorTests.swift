import AutoCoder
import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderExecution

/// Java through javac and JUnit 5's console launcher, for real: pass, fail with AssertJ's message, a compile error, a
/// crash, a timeout, and code that tries to leave its workspace or reach the network.
@Suite struct JUnitExecutorTests {
    static let tests = """
        import org.junit.jupiter.api.Test;

        import static org.assertj.core.api.Assertions.assertThat;

        public class AdderTest {
            @Test
            public void adds() {
                assertThat(new Adder().add(1, 2)).isEqualTo(3);
            }

            @Test
            public void addsNegatives() {
                assertThat(new Adder().add(-1, -2)).isEqualTo(-3);
            }
        }
        """

    func result(
        _ solution: String, tests: String = tests, timeout: Double? = nil, integrity: IntegrityMode = .strict
    ) async throws -> TestResult {
        let task = CodingTask(
            description: "add", tests: [CodeFile(path: "src/test/java/AdderTest.java", content: tests)],
            language: "java", solutionPath: "src/main/java/Adder.java", timeoutSeconds: timeout)
        return try await JUnitExecutor(timeout: .seconds(120), integrity: integrity).test(
            [CodeFile(path: "src/main/java/Adder.java", content: solution)], for: task)
    }

    static func adder(_ body: String, imports: String = "") -> String {
        "\(imports)\nclass Adder {\n    int add(int a, int b) {\n        \(body)\n    }\n}\n"
    }

    @Test func passAndFailHaveTheirCasesAndMessages() async throws {
        let passed = try await result(Self.adder("return a + b;"))
        #expect(passed.outcome == .passed && passed.numPassed == 2, "\(passed.summary) \(passed.output)")
        let failed = try await result(Self.adder("return a - b;"))
        #expect(failed.outcome == .failed && failed.numFailed == 2, "\(failed.summary)")
        let message = try #require(failed.tests.first { $0.name.hasPrefix("adds()") }?.message)
        #expect(message.contains("3") && message.contains("-1"), "\(message)")
    }

    @Test func aCompileErrorIsAnErrorWithTheDiagnostic() async throws {
        let broken = try await result(Self.adder("return a +;"))
        #expect(broken.outcome == .error)
        #expect(
            broken.message?.contains("does not compile: src/main/java/Adder.java:4: error") == true,
            "\(broken.message ?? "")")
        #expect(!broken.output.contains("/tmp/autocoder-"), "the workspace's path is cut from the feedback")
    }

    @Test func aCrashAndATimeoutAreNeverAPass() async throws {
        let exiting = try await result(Self.adder("System.exit(0); return 0;"), integrity: .off)
        #expect(exiting.outcome != .passed, "\(exiting.summary)")
        let halting = try await result(Self.adder("Runtime.getRuntime().halt(0); return 0;"), integrity: .off)
        #expect(halting.outcome != .passed, "\(halting.summary)")
        let hanging = try await result(Self.adder("while (true) {}"), timeout: 10)
        #expect(hanging.outcome == .timeout, "\(hanging.summary)")
    }

    @Test func theCodeCannotWriteOutsideItsWorkspaceNorReachTheNetwork() async throws {
        let directory = try TemporaryDirectory()
        let outside = directory.url.appendingPathComponent("escaped.txt").path
        let listener = try LoopbackListener()
        let hostile = """
            import java.net.Socket;
            import java.nio.file.Files;
            import java.nio.file.Path;

            class Escape {
                static boolean wrote() {
                    try { Files.writeString(Path.of(\(String(reflecting: outside))), "x"); return true; } catch (Exception e) { return false; }
                }

                static boolean connected() {
                    try (Socket socket = new Socket("127.0.0.1", \(listener.port))) { return true; } catch (Exception e) { return false; }
                }
            }
            """
        let tests = """
            import org.junit.jupiter.api.Test;

            import static org.assertj.core.api.Assertions.assertThat;

            public class EscapeTest {
                @Test
                public void cannotWriteOutside() { assertThat(Escape.wrote()).isFalse(); }

                @Test
                public void cannotConnect() { assertThat(Escape.connected()).isFalse(); }
            }
            """
        let task = CodingTask(
            description: "escape", tests: [CodeFile(path: "EscapeTest.java", content: tests)], language: "java",
            solutionPath: "Escape.java")
        let result = try await JUnitExecutor(timeout: .seconds(120), integrity: .off).test(
            [CodeFile(path: "Escape.java", content: hostile)], for: task)
        #expect(result.outcome == .passed && result.numPassed == 2, "\(result.summary) \(result.output)")
        #expect(!FileManager.default.fileExists(atPath: outside))
    }

    /// A comment between a test's annotations and its method (Exercism's perfect-numbers) does not hide the test.
    @Test func aTestIsDeclaredWithACommentBeforeItsMethod() {
        let file = CodeFile(
            path: "src/test/java/NumberTest.java",
            content: """
                @Test
                @DisplayName("one (https://example.com/x) is deficient")
                /*
                 * The number 1 has no proper divisors.
                 */
                public void oneIsDeficient() {}
                """)
        let declared = JUnitExecutor.declaredTests(in: [file])
        #expect(declared.names == ["oneIsDeficient"])
    }

    @Test func skippedTestsAreTurnedOnForABenchmark() {
        let file = CodeFile(
            path: "src/test/java/AdderTest.java",
            content: "    @Disabled(\"Remove to run test\")\n    @Test\n    public void adds() {}\n")
        #expect(JavaToolchain().enablingSkippedTests(in: file).content == "    @Test\n    public void adds() {}\n")
        // JUnit 4's @Ignore, which Exercism's older Java exercises use.
        let older = CodeFile(
            path: "src/test/java/AdderTest.java",
            content: "    @Ignore(\"Remove to run test\")\n    @Test\n    public void adds() {}\n")
        #expect(JavaToolchain().enablingSkippedTests(in: older).content == "    @Test\n    public void adds() {}\n")
    }
}
