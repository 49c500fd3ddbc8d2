import AutoCoder
import AutoCoderExecution
import Foundation
import Testing

/// The library example of docs/library.md, run for real.
@Suite struct LibraryExampleTests {
    @Test func closureFormSolvesWithRealPytest() async {
        let coder = AutonomousCoder(
            generate: { _, _ in "def add(a, b):\n    return a - b\n" },
            fix: { _, code, _ in code.replacingOccurrences(of: "-", with: "+") },
            executor: PytestExecutor(),
            maxIterations: 5)
        let outcome = await coder.solve(
            description: "Write add(a, b) in solution.py",
            testCode: "from solution import add\n\ndef test_add():\n    assert add(1, 2) == 3\n")
        #expect(outcome.solved)
        #expect(outcome.iterations == 2)
        #expect(outcome.finalFiles == [CodeFile(path: "solution.py", content: "def add(a, b):\n    return a + b\n")])
        #expect(outcome.steps.first?.testResult?.outcome == .failed)
    }

    @Test func runCodeReturnsOutputAndExitCode() async throws {
        let executor = PytestExecutor(timeout: .seconds(10))
        let hello = try await executor.run(code: "import sys\nprint('hi')\nprint('err', file=sys.stderr)\nsys.exit(3)")
        #expect(hello.stdout == "hi\n")
        #expect(hello.stderr == "err\n")
        #expect(hello.exitCode == 3)
        #expect(!hello.timedOut)

        let broken = try await executor.run(code: "raise ValueError('boom')")
        #expect(broken.exitCode == 1)
        #expect(broken.stderr.contains("ValueError: boom"))

        let slow = try await executor.run(code: "while True:\n    pass\n", timeout: .milliseconds(500))
        #expect(slow.timedOut)
        #expect(slow.exitCode == CodeRunResult.timeoutExitCode)

        // Time enough that only the output limit can end it, however loaded the machine (a CI run with 4 tests at a
        // time and a build beside them once took more than 10 s to read 16 MB).
        let flood = try await executor.run(
            code: "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n", timeout: .seconds(120))
        #expect(flood.exitCode == 128 + SIGKILL)
        #expect(flood.message?.contains("output limit") == true)
        #expect(flood.stdout.utf8.count < 300 * 1024)
    }
}
