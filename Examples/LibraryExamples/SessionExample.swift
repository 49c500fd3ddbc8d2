import AutoCoder
import AutoCoderApp

/// docs/library.md, "A whole run: `Session`".
func sessionExample() async throws {
    // docs:begin
    let configuration = RunConfiguration(
        task: TaskSource(directory: "examples/fizzbuzz"),
        limits: Limits(timeoutSeconds: 10),
        generator: GeneratorConfiguration(script: "examples/fizzbuzz/replies.json"),  // or provider: "anthropic"
        store: nil)  // or a SQLite file to record in
    let run = try await Session(configuration, notice: { print($0) }).solve()  // throws SessionError
    for await event in run.events() {
        if case .tested(let result, let iteration) = event { print(iteration, result.summary) }
        if case .finished(let outcome) = event { print(try JSONDocument.encoder().string(outcome)) }  // as solve --json
    }
    // docs:end
}
