import AutoCoder
import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

/// TypeScript through tsc, then node's test runner on what it emits, for real: pass, fail, a type error, a crash,
/// a timeout, and code that tries to leave its workspace or reach the network.
@Suite struct TypeScriptExecutorTests {
    static let tests = """
        import { add } from './solution';

        describe('add', () => {
          test('adds', () => { expect(add(1, 2)).toBe(3); });
          test('adds negatives', () => { expect(add(-1, -2)).toEqual(-3); });
        });
        """

    func result(_ solution: String, tests: String = tests, timeout: Double? = nil) async throws -> TestResult {
        let task = CodingTask(
            description: "add", tests: [CodeFile(path: "add.test.ts", content: tests)], language: "typescript",
            solutionPath: "solution.ts", timeoutSeconds: timeout)
        return try await TypeScriptExecutor(node: NodeTestExecutor(timeout: .seconds(60))).test(
            [CodeFile(path: "solution.ts", content: solution)], for: task)
    }

    @Test func passAndFailHaveTheirCasesAndMessages() async throws {
        let passed = try await result("export function add(a: number, b: number): number { return a + b; }\n")
        #expect(passed.outcome == .passed && passed.numPassed == 2, "\(passed.summary) \(passed.output)")
        let failed = try await result("export function add(a: number, b: number): number { return a - b; }\n")
        #expect(failed.outcome == .failed && failed.numFailed == 2, "\(failed.summary)")
        #expect(failed.tests.first { $0.name == "adds" }?.message?.contains("Received: -1") == true)
    }

    @Test func aTypeErrorIsAnErrorWithTheDiagnostic() async throws {
        let wrongType = try await result("export function add(a: number, b: number): number { return 'x'; }\n")
        #expect(wrongType.outcome == .error)
        #expect(
            wrongType.message?.contains("does not compile: solution.ts(1,") == true
                && wrongType.message?.contains("TS2322") == true, "\(wrongType.message ?? "")")
        #expect(!wrongType.output.contains("/tmp/autocoder-"), "the workspace's path is cut from the feedback")
    }

    @Test func aCrashAndATimeoutAreNeverAPass() async throws {
        // Exiting with 0 as the code loads: the file's tests never run, which is never a pass.
        let exiting = try await result(
            "process.exit(0);\nexport function add(a: number, b: number) { return a + b; }\n")
        #expect(exiting.outcome == .error, "\(exiting.summary) \(exiting.message ?? "")")
        let hanging = try await result(
            "export function add(a: number, b: number): number { while (true) {} }\n", timeout: 5)
        #expect(hanging.outcome == .timeout, "\(hanging.summary)")
    }

    @Test func theCodeCannotWriteOutsideItsWorkspaceNorReachTheNetwork() async throws {
        let directory = try TemporaryDirectory()
        let outside = directory.url.appendingPathComponent("escaped.txt").path
        let listener = try LoopbackListener()
        let hostile = """
            const fs = require('node:fs');
            const net = require('node:net');

            export function wrote(): boolean {
              try { fs.writeFileSync(\(String(reflecting: outside)), 'x'); return true; } catch { return false; }
            }

            export function connected(): Promise<boolean> {
              return new Promise((resolve) => {
                const socket = net.connect(\(listener.port), '127.0.0.1');
                socket.on('connect', () => { socket.destroy(); resolve(true); });
                socket.on('error', () => resolve(false));
              });
            }
            """
        let tests = """
            import { wrote, connected } from './solution';

            test('cannot write outside', () => { expect(wrote()).toBe(false); });
            test('cannot connect', async () => { expect(await connected()).toBe(false); });
            """
        let result = try await result(hostile, tests: tests)
        #expect(result.outcome == .passed && result.numPassed == 2, "\(result.summary) \(result.output)")
        #expect(!FileManager.default.fileExists(atPath: outside))
    }

    @Test func theRegistryKnowsTypeScriptByItsFiles() throws {
        let directory = try TemporaryDirectory()
        let task = try TaskLoader(languages: Toolchains.languages).task(
            description: "add", testFiles: [try directory.write("add.test.ts", Self.tests)])
        #expect(task.language == "typescript" && task.solutionPath == "solution.ts")
    }
}
