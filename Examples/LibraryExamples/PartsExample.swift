import AutoCoder
import AutoCoderExecution
import Foundation

/// docs/library.md, "The parts".
func partsExample() async throws {
    // docs:begin
    // The closure form: generate gets (description, test code); fix gets (description, code, error output).
    let coder = AutonomousCoder(
        generate: { description, testCode in "def add(a, b):\n    return a - b\n" },
        fix: { description, code, errorOutput in code.replacingOccurrences(of: "-", with: "+") },
        executor: PytestExecutor(),
        maxIterations: 5)
    let outcome = await coder.solve(
        description: "Write add(a, b) in solution.py",
        testCode: "from solution import add\n\ndef test_add():\n    assert add(1, 2) == 3\n")
    print(outcome.solved, outcome.iterations, outcome.finalFiles)  // true 2 [solution.py]

    // The full form: any CodeGenerator, a CodingTask, and progress as an AsyncStream. Loaders and generators are
    // given the languages they know (`Toolchains.languages`, the registry's catalog).
    let task = try TaskLoader(languages: Toolchains.languages).load(
        directory: URL(fileURLWithPath: "examples/fizzbuzz"))
    let scripted = AutonomousCoder(
        generator: try ScriptedGenerator(
            contentsOf: URL(fileURLWithPath: "examples/fizzbuzz/replies.json"), languages: Toolchains.languages),
        executor: PytestExecutor(timeout: .seconds(10)))
    for await event in scripted.events(for: task) {
        if case .tested(let result, let iteration) = event { print(iteration, result.summary) }
        if case .finished(let outcome) = event { print(outcome.stopReason) }
    }

    // Any language through its toolchain: open it for as long as its runs share resources (warm workers), then close.
    let runtime = try Toolchains.require(task.language).open(ToolchainSettings(timeout: .seconds(10)))
    let viaToolchain = try await runtime.executor().test([], for: task)
    await runtime.close()

    // The sandbox's limits, or no namespaces and cgroups at all:
    let strict = PytestExecutor(timeout: .seconds(5), sandbox: Sandbox(memoryBytes: 256 * 1_048_576, maxProcesses: 16))
    let layers = await SandboxCapabilities.current().layers(for: Sandbox())  // what `autocoder doctor` prints

    // Running tests or code once:
    let result = try await PytestExecutor().test([CodeFile(path: "solution.py", content: "…")], for: task)
    let run = try await PytestExecutor().run(code: "print('hi')")  // stdout, stderr, exitCode, timedOut
    // docs:end
    print(viaToolchain.summary, strict.timeout, layers.count, result.summary, run.stdout)
}
