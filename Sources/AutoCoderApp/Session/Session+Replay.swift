import AutoCoder
import AutoCoderExecution
import AutoCoderStore
import Foundation

extension Session {
    /// Prepares a replay of the recorded run `id` (or a unique prefix): its generator calls are answered from the
    /// recording, its tests run for real, with the recorded settings unless the configuration's limits set their
    /// own. With `record`, the replay is recorded in the same store (with `replay_of`).
    /// - Returns: The run, and the recorded run it repeats (to compare them).
    public func replay(
        _ id: String, record: Bool = true
    ) async throws(SessionError) -> (
        SessionRun, recorded: StoredRun
    ) {
        if let problem = configuration.limits.problem { throw .badInput(problem) }
        let source: RunStore
        do {
            guard let path = configuration.store, RunStore.mayExist(at: path) else {
                throw SessionError.badInput(
                    "no run has been recorded yet (there is no run store at \(configuration.store ?? RunStore.defaultPath()))."
                )
            }
            source = try RunStore(path: path)
        } catch let error as SessionError {
            throw error
        } catch {
            throw Self.sessionError(error)
        }
        let recorded: StoredRun
        do {
            recorded = try source.run(id)
        } catch {
            throw Self.sessionError(error)
        }
        let limits = configuration.limits
        var task = recorded.task
        task.maxIterations = recorded.settings.maxIterations
        task.timeoutSeconds = limits.timeoutSeconds ?? recorded.settings.timeoutSeconds
        let replayed = Limits(
            timeoutSeconds: task.timeoutSeconds, memoryMB: limits.memoryMB ?? recorded.settings.memoryMB,
            diskMB: limits.diskMB ?? recorded.settings.diskMB,
            maxProcesses: limits.maxProcesses ?? recorded.settings.maxProcesses,
            sandbox: limits.sandbox && recorded.settings.sandbox, warmWorker: limits.warmWorker,
            integrity: limits.integrity ?? recorded.settings.integrity ?? .strict,
            python: limits.python ?? recorded.settings.python)
        let toolchain = try Self.toolchain(for: task.language)
        // A fix runs the repository's own test command; other tasks run through their toolchain's executors.
        let runtime = task.repository == nil ? toolchain.open(replayed.toolchainSettings()) : nil
        let executor: any CodeExecutor =
            if let runtime { runtime.executor() } else {
                await Self.repositoryExecutor(toolchain, settings: replayed.toolchainSettings())
            }
        var replaying = self
        replaying.configuration.limits = replayed
        await replaying.warnAboutMissingLayers()
        // The recorded guards, without budgets (nothing is paid for) and with the recorded (chosen) first attempt.
        let policy = LoopPolicy(
            revertOnRegression: recorded.settings.revertOnRegression ?? true,
            stallLimit: recorded.settings.stallLimit ?? 3, rerunFailures: recorded.settings.rerunFailures ?? true)
        var settings = recorded.settings
        settings.provider = "replay"
        var plain = replaying
        plain.configuration.loop = LoopSettings()
        let run = plain.prepare(
            task, generator: ReplayGenerator(calls: recorded.calls, languages: Toolchains.languages),
            executor: executor, store: record ? source : nil, maxIterations: recorded.settings.maxIterations,
            policy: policy, settings: settings, replayOf: recorded.summary.id,
            resources: Resources(runtime: runtime, generator: nil))
        return (run, recorded)
    }
}
