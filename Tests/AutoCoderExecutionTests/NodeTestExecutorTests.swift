import AutoCoder
import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

/// JavaScript through node's test runner, for real: pass, fail, a file that does not load, a crash, a timeout,
/// and code that tries to leave its workspace or reach the network.
@Suite struct NodeTestExecutorTests {
    static let tests = """
        const test = require('node:test');
        const assert = require('node:assert');
        const { add } = require('./solution');
        test('adds', () => { assert.strictEqual(add(1, 2), 3); });
        test('adds negatives', () => { assert.strictEqual(add(-1, -2), -3); });
        """

    func result(_ solution: String, tests: String = tests, timeout: Double? = nil) async throws -> TestResult {
        let task = CodingTask(
            description: "add", tests: [CodeFile(path: "add.test.js", content: tests)], language: "javascript",
            solutionPath: "solution.js", timeoutSeconds: timeout)
        return try await NodeTestExecutor(timeout: .seconds(30)).test(
            [CodeFile(path: "solution.js", content: solution)], for: task)
    }

    @Test func passAndFailHaveTheirCasesAndMessages() async throws {
        let passed = try await result("exports.add = (a, b) => a + b;\n")
        #expect(passed.outcome == .passed && passed.numPassed == 2, "\(passed.summary) \(passed.output)")
        let failed = try await result("exports.add = (a, b) => a - b;\n")
        #expect(failed.outcome == .failed && failed.numFailed == 2)
        #expect(failed.tests.first?.message?.contains("-1 !== 3") == true)
    }

    @Test func aFileThatDoesNotLoadIsAnErrorWithItsReason() async throws {
        let broken = try await result("exports.add = (a, b) => a +;\n")
        #expect(broken.outcome == .error)
        #expect(broken.message?.contains("could not be loaded: SyntaxError") == true, "\(broken.message ?? "")")
        #expect(!broken.output.contains("/tmp/autocoder-"), "the workspace's path is cut from the feedback")
    }

    @Test func aCrashAndATimeoutAreNeverAPass() async throws {
        let exiting = try await result("process.exit(0);\nexports.add = (a, b) => a + b;\n")
        #expect(exiting.outcome == .noTests, "\(exiting.summary)")
        let aborting = try await result("process.kill(process.pid, 'SIGKILL');\n")
        #expect(aborting.outcome != .passed, "\(aborting.summary)")
        let hanging = try await result("while (true) {}\n", timeout: 3)
        #expect(hanging.outcome == .timeout, "\(hanging.summary)")
    }

    @Test func theCodeCannotWriteOutsideItsWorkspaceNorReachTheNetwork() async throws {
        let directory = try TemporaryDirectory()
        let outside = directory.url.appendingPathComponent("escaped.txt").path
        let listener = try LoopbackListener()
        let hostile = """
            const fs = require('node:fs');
            const net = require('node:net');
            let wrote = true;
            try { fs.writeFileSync(\(String(reflecting: outside)), 'x'); } catch (e) { wrote = false; }
            exports.wrote = wrote;
            exports.connect = () => new Promise((resolve) => {
              const socket = net.connect(\(listener.port), '127.0.0.1', () => { socket.destroy(); resolve(true); });
              socket.on('error', () => resolve(false));
            });
            exports.add = (a, b) => a + b;
            """
        let tests = """
            const test = require('node:test');
            const assert = require('node:assert');
            const solution = require('./solution');
            test('cannot write outside', () => { assert.strictEqual(solution.wrote, false); });
            test('cannot connect', async () => { assert.strictEqual(await solution.connect(), false); });
            """
        let result = try await result(hostile, tests: tests)
        #expect(result.outcome == .passed, "\(result.summary) \(result.output)")
        #expect(!FileManager.default.fileExists(atPath: outside))
    }

    /// A Jest-style suite (globals, `expect`, an ES module imported without its extension) runs on node alone;
    /// the benchmark's skip-enabling turns `xtest` into `test`.
    @Test func aJestStyleSuiteRunsWithNodeAlone() async throws {
        let spec = """
            import { add } from './solution';

            describe('add', () => {
              test('adds', () => { expect(add(1, 2)).toBe(3); });
              xtest('adds lists', () => { expect([add(1, 1)]).toEqual([2]); });
              test('refuses text', () => { expect(() => add('a', 1)).toThrow('numbers only'); });
            });
            """
        let enabled = JavaScriptToolchain().enablingSkippedTests(in: CodeFile(path: "add.spec.js", content: spec))
        #expect(!enabled.content.contains("xtest"))
        let task = CodingTask(description: "add", tests: [enabled], language: "javascript", solutionPath: "solution.js")
        let good = """
            export const add = (a, b) => {
              if (typeof a !== 'number') throw new Error('numbers only');
              return a + b;
            };
            """
        let passed = try await NodeTestExecutor().test([CodeFile(path: "solution.js", content: good)], for: task)
        #expect(passed.outcome == .passed && passed.numPassed == 3, "\(passed.summary) \(passed.output)")
        let wrong = "export const add = (a, b) => a - b;\n"
        let failed = try await NodeTestExecutor().test([CodeFile(path: "solution.js", content: wrong)], for: task)
        #expect(failed.outcome == .failed && failed.numFailed == 3, "\(failed.summary)")
        let message = try #require(failed.tests.first { $0.name == "adds" }?.message)
        #expect(message.contains("Expected: 3") && message.contains("Received: -1"), "\(message)")
    }

    @Test func theRegistryKnowsJavaScriptByItsFiles() throws {
        let directory = try TemporaryDirectory()
        let task = try TaskLoader(languages: Toolchains.languages).task(
            description: "add", testFiles: [try directory.write("add.test.js", Self.tests)])
        #expect(task.language == "javascript" && task.solutionPath == "solution.js")
        let reply = "```js\nfunction add(a, b) { return a + b; }\nmodule.exports = { add };\n```"
        let attempt = ReplyParser(task: task, languages: Toolchains.languages).attempt(from: reply)
        #expect(attempt.files.map(\.path) == ["solution.js"])
    }
}

/// `exec` for JavaScript and Rust: output, exit code, and a timeout.
@Suite struct DirectRunTests {
    @Test func nodeRunsAProgram() async throws {
        let executor = NodeTestExecutor(timeout: .seconds(10))
        let hello = try await executor.run(
            code: "console.log(process.argv[2]); process.exit(3);", input: ProgramInput(arguments: ["hi"]))
        #expect(hello.stdout == "hi\n" && hello.exitCode == 3)
        let slow = try await executor.run(code: "while (true) {}", timeout: .seconds(1))
        #expect(slow.timedOut && slow.exitCode == CodeRunResult.timeoutExitCode)
    }

    @Test func rustcCompilesAndRunsAProgram() async throws {
        let executor = CargoTestExecutor(timeout: .seconds(10))
        let hello = try await executor.run(code: "fn main() { println!(\"{}\", 6 * 7); std::process::exit(4); }")
        #expect(hello.stdout == "42\n" && hello.exitCode == 4, "\(hello.stderr)")
        let broken = try await executor.run(code: "fn main() { let x: i32 = \"no\"; }")
        #expect(broken.exitCode == 1 && broken.message == "The code does not compile.")
    }
}
