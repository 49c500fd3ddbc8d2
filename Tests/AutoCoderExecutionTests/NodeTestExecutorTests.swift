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
        // The file ended before its tests reported: an error of that file, never dropped (nor "no tests").
        #expect(exiting.outcome == .error, "\(exiting.summary)")
        #expect(exiting.message?.contains("ended before they reported") == true)
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

/// `exec` for JavaScript, Rust, Go, Java, C++ and TypeScript: output, exit code, a compile error, a timeout.
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

    /// Each compiled language: the program's output and exit code, then code that does not compile.
    @Test(arguments: [
        (
            "go", "package main\n\nimport (\"fmt\"; \"os\")\n\nfunc main() { fmt.Println(6 * 7); os.Exit(4) }\n",
            "package main\n\nfunc main() { var x int = \"no\" }\n"
        ),
        (
            "java",
            "public class Main { public static void main(String[] a) { System.out.println(6 * 7); System.exit(4); } }\n",
            "public class Main { public static void main(String[] a) { int x = \"no\"; } }\n"
        ),
        (
            "cpp", "#include <cstdio>\nint main() { std::printf(\"%d\\n\", 6 * 7); return 4; }\n",
            "int main() { int x = \"no\"; }\n"
        ),
        (
            "typescript", "console.log(6 * 7);\nprocess.exit(4);\n",
            "const x: number = 'no';\n"
        ),
    ])
    func aCompiledLanguageRunsAProgram(language: String, program: String, broken: String) async throws {
        let toolchain = try #require(Toolchains.toolchain(for: Language(language)))
        let runtime = toolchain.open(ToolchainSettings(timeout: .seconds(60)))
        let executor = runtime.executor()
        let hello = try await executor.run(
            code: program, fileName: toolchain.inlineProgramName, timeout: nil, input: ProgramInput())
        #expect(hello.stdout == "42\n" && hello.exitCode == 4, "\(language): \(hello.stderr)")
        let wrong = try await executor.run(
            code: broken, fileName: toolchain.inlineProgramName, timeout: nil, input: ProgramInput())
        #expect(wrong.exitCode == 1 && wrong.message == "The code does not compile.", "\(language): \(wrong)")
        await runtime.close()
    }
}
