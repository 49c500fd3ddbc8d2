import AutoCoder

/// A toolchain opened that keeps nothing between runs: it hands out one configured executor.
struct PlainRuntime: ToolchainRuntime {
    let configured: any CodeExecutor & CodeRunner

    init(_ executor: any CodeExecutor & CodeRunner) {
        configured = executor
    }

    func executor() -> any CodeExecutor & CodeRunner { configured }
}
