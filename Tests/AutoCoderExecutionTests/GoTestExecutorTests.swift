import AutoCoder
import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

/// Go through `go test -json` on a module autocoder writes, for real: pass, fail with the test's message, a compile
/// error, a panic, an early exit, a timeout, and code that tries to leave its workspace or reach the network.
@Suite struct GoTestExecutorTests {
    static let tests = """
        package solution

        import "testing"

        func TestAdds(t *testing.T) {
        \tif got := Add(1, 2); got != 3 {
        \t\tt.Fatalf("Add(1, 2) = %d, want 3", got)
        \t}
        }

        func TestAddsNegatives(t *testing.T) {
        \tfor _, c := range []struct{ a, b, want int }{{-1, -2, -3}, {-5, 5, 0}} {
        \t\tt.Run("case", func(t *testing.T) {
        \t\t\tif got := Add(c.a, c.b); got != c.want {
        \t\t\t\tt.Errorf("Add(%d, %d) = %d, want %d", c.a, c.b, got, c.want)
        \t\t\t}
        \t\t})
        \t}
        }
        """

    func result(
        _ solution: String, tests: String = tests, timeout: Double? = nil, integrity: IntegrityMode = .strict
    ) async throws -> TestResult {
        let task = CodingTask(
            description: "add", tests: [CodeFile(path: "add_test.go", content: tests)], language: "go",
            solutionPath: "solution.go", timeoutSeconds: timeout)
        return try await GoTestExecutor(timeout: .seconds(120), integrity: integrity).test(
            [CodeFile(path: "solution.go", content: solution)], for: task)
    }

    @Test func passAndFailHaveTheirCasesAndMessages() async throws {
        let passed = try await result("package solution\n\nfunc Add(a, b int) int { return a + b }\n")
        #expect(passed.outcome == .passed && passed.numPassed == 3, "\(passed.summary) \(passed.output)")
        let failed = try await result("package solution\n\nfunc Add(a, b int) int { return a - b }\n")
        #expect(failed.outcome == .failed && failed.numFailed == 3, "\(failed.summary)")
        let message = try #require(failed.tests.first { $0.name == "TestAdds" }?.message)
        #expect(message.contains("Add(1, 2) = -1, want 3"), "\(message)")
    }

    @Test func aCompileErrorIsAnErrorWithTheDiagnostic() async throws {
        let broken = try await result("package solution\n\nfunc Add(a, b int) int { return a + }\n")
        #expect(broken.outcome == .error)
        #expect(broken.message?.contains("does not compile") == true, "\(broken.message ?? "")")
        #expect(broken.message?.contains("solution.go:3") == true, "\(broken.message ?? "")")
        #expect(!broken.output.contains("/tmp/autocoder-"), "the workspace's path is cut from the feedback")
    }

    @Test func aCrashAnEarlyExitAndATimeoutAreNeverAPass() async throws {
        let panicking = try await result("package solution\n\nfunc Add(a, b int) int { panic(\"boom\") }\n")
        #expect(panicking.outcome == .failed || panicking.outcome == .error, "\(panicking.summary)")
        #expect(panicking.output.contains("boom"))
        // Exiting with 0 before the tests run: the declared tests never ran.
        let exiting = try await result(
            "package solution\n\nimport \"os\"\n\nfunc init() { os.Exit(0) }\n\nfunc Add(a, b int) int { return a + b }\n",
            integrity: .off)
        #expect(exiting.outcome != .passed, "\(exiting.summary)")
        let hanging = try await result("package solution\n\nfunc Add(a, b int) int { for {} }\n", timeout: 10)
        #expect(hanging.outcome == .timeout, "\(hanging.summary)")
    }

    @Test func theCodeCannotWriteOutsideItsWorkspaceNorReachTheNetwork() async throws {
        let directory = try TemporaryDirectory()
        let outside = directory.url.appendingPathComponent("escaped.txt").path
        let listener = try LoopbackListener()
        let hostile = """
            package solution

            import (
            \t"net"
            \t"os"
            )

            func Wrote() bool { return os.WriteFile(\(String(reflecting: outside)), []byte("x"), 0o644) == nil }

            func Connected() bool {
            \tconnection, err := net.Dial("tcp", "127.0.0.1:\(listener.port)")
            \tif err == nil {
            \t\tconnection.Close()
            \t}
            \treturn err == nil
            }
            """
        let tests = """
            package solution

            import "testing"

            func TestCannotWriteOutside(t *testing.T) {
            \tif Wrote() {
            \t\tt.Fatal("wrote outside")
            \t}
            }

            func TestCannotConnect(t *testing.T) {
            \tif Connected() {
            \t\tt.Fatal("connected")
            \t}
            }
            """
        let result = try await result(hostile, tests: tests, integrity: .off)
        #expect(result.outcome == .passed && result.numPassed == 2, "\(result.summary) \(result.output)")
        #expect(!FileManager.default.fileExists(atPath: outside))
    }

    @Test func theRegistryKnowsGoByItsFiles() throws {
        let directory = try TemporaryDirectory()
        let task = try TaskLoader(languages: Toolchains.languages).task(
            description: "add", testFiles: [try directory.write("add_test.go", Self.tests)])
        #expect(task.language == "go" && task.solutionPath == "solution.go")
    }
}
