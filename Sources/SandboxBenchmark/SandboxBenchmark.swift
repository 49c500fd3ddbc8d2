import AutoCoder
import AutoCoderExecution
import Foundation

/// Measures what the sandbox adds to one run, against the same run without it, in one process.
///
/// Usage: `autocoder-sandbox-bench [RUNS]` (default 30); `autocoder-sandbox-bench fix [RUNS]` for `fix`'s
/// overhead per iteration (``FixBenchmark``). The arms alternate so that machine load falls on both
/// alike; each is warmed up first so that once-per-process work (capability detection, interpreter resolution,
/// the test inventory) is not counted.
@main
enum SandboxBenchmark {
    static func main() async throws {
        if CommandLine.arguments.dropFirst().first == "fix" {
            try await FixBenchmark.run(runs: CommandLine.arguments.dropFirst(2).first.flatMap(Int.init) ?? 10)
            return
        }
        let runs = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 30
        guard runs >= 3 else {
            FileHandle.standardError.write(Data("usage: autocoder-sandbox-bench [RUNS ≥ 3]\n".utf8))
            exit(2)
        }
        let capabilities = await SandboxCapabilities.current()
        print("Sandbox layers:")
        for status in capabilities.layers(for: Sandbox()) {
            print("  \(status.active ? "on " : "off") \(status.layer.rawValue): \(status.detail)")
        }
        print("\(runs) runs per arm, alternating, after 3 warm-up runs each.\n")

        let task = CodingTask(
            description: "add",
            tests: [
                CodeFile(
                    path: "test_add.py",
                    content: "from solution import add\n\ndef test_add():\n    assert add(1, 2) == 3\n")
            ], language: PythonToolchain.name, solutionPath: "solution.py")
        let solution = [CodeFile(path: "solution.py", content: "def add(a, b):\n    return a + b\n")]
        let bare = PytestExecutor(sandbox: .off)
        let boxed = PytestExecutor(sandbox: Sandbox())
        let pytest = try await compare(runs: runs) { sandboxed in
            let result = try await (sandboxed ? boxed : bare).test(solution, for: task)
            guard result.passed else { throw BenchmarkError("a run did not pass: \(result.summary)") }
        }
        report("pytest, one test (PytestExecutor.test)", pytest)

        let directory = FileManager.default.temporaryDirectory.path
        let trueRequest = ProcessRequest(executable: "/bin/true", workingDirectory: directory, timeout: .seconds(10))
        let layers = try await compare(runs: runs) { sandboxed in
            let run = try await (sandboxed ? Sandbox() : Sandbox.off).run(trueRequest, writable: [directory])
            guard run.process.exitCode == 0 else {
                throw BenchmarkError("/bin/true failed: \(run.process.termination)")
            }
        }
        report("/bin/true (the layers alone)", layers)
    }

    /// Timings in milliseconds of the unsandboxed and sandboxed arms.
    static func compare(
        runs: Int, _ body: @Sendable (_ sandboxed: Bool) async throws -> Void
    ) async throws -> (bare: [Double], sandboxed: [Double]) {
        for _ in 0..<3 {
            try await body(false)
            try await body(true)
        }
        var bare: [Double] = []
        var sandboxed: [Double] = []
        for index in 0..<runs {
            for arm in index.isMultiple(of: 2) ? [false, true] : [true, false] {
                let start = ContinuousClock.now
                try await body(arm)
                let elapsed = ContinuousClock.now - start
                let milliseconds =
                    Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
                if arm { sandboxed.append(milliseconds) } else { bare.append(milliseconds) }
            }
        }
        return (bare, sandboxed)
    }

    static func report(
        _ title: String, _ timings: (bare: [Double], sandboxed: [Double]),
        arms: (String, String) = ("without sandbox:", "with sandbox:   ")
    ) {
        let bare = median(timings.bare)
        let boxed = median(timings.sandboxed)
        print(title)
        print(String(format: "  %@ median %7.1f ms   min %7.1f ms", arms.0, bare, timings.bare.min() ?? 0))
        print(String(format: "  %@ median %7.1f ms   min %7.1f ms", arms.1, boxed, timings.sandboxed.min() ?? 0))
        print(String(format: "  added: %+.1f ms per run (median), ratio %.3f\n", boxed - bare, boxed / bare))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
