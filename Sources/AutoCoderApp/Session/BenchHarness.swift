import AutoCoder
import AutoCoderBench
import AutoCoderExecution
import AutoCoderStore

/// The problems a bench runs, and the data set's name.
public struct BenchSelection: Sendable {
    public var name: String
    public var problems: [BenchProblem]
    /// With `--shard`, which part of the selection `problems` are.
    public var shard: BenchShard?

    public init(name: String, problems: [BenchProblem], shard: BenchShard?) {
        self.name = name
        self.problems = problems
        self.shard = shard
    }
}

/// What a bench's problems run with, opened once: the warm runtimes, the generator (or the oracle), the store and
/// the loop's limits. A local bench solves its problems with one; a worker with one per bench it takes problems of.
public struct BenchHarness: Sendable {
    let session: Session
    let oracle: BenchConfiguration.Oracle?
    let opened: BenchResources
    let store: RunStore?
    let maxIterations: Int
    let policy: LoopPolicy
    let recorded: RunSettings
    /// Who answers: "the canonical oracle", or the provider and model.
    public let source: String
    /// Why a language's problems cannot run at all (its toolchain's preflight: no interpreter, no runner), by
    /// language: they are not tested, each is an infrastructure error with the reason.
    var unavailable: [Language: String] = [:]

    /// Runs `problem` through the loop (a run like `solve`'s, recorded when the bench records), `observe` getting
    /// its events, and keeps what a bench keeps of it.
    public func result(
        of problem: BenchProblem,
        observe: @escaping @Sendable (SessionRun) -> @Sendable (CodingEvent) -> Void = {
            _ in { _ in }
        }
    ) async throws -> BenchResult {
        BenchResult(problem: problem, outcome: try await solve(problem, observe: observe))
    }

    func solve(
        _ problem: BenchProblem, observe: @Sendable (SessionRun) -> @Sendable (CodingEvent) -> Void
    ) async throws -> RunOutcome {
        if let reason = unavailable[problem.task.language] {
            return RunOutcome(
                runID: "", solved: false, stopReason: .error, iterations: 0, steps: [], finalFiles: [],
                testResult: TestResult(outcome: .infrastructureError, message: reason), usage: .zero, error: reason,
                durationMs: 0)
        }
        let answer: any CodeGenerator =
            switch oracle {
            case .canonical: OracleGenerator(files: problem.reference)
            case .broken: OracleGenerator(files: problem.broken)
            case nil: try opened.generator?.freshGenerator() ?? OracleGenerator(files: [])
            }
        let runtime =
            try opened.runtime(for: problem.task.language)
            ?? Session.toolchain(for: problem.task.language).open(session.configuration.limits.toolchainSettings())
        let run = session.prepare(
            problem.task, generator: answer, executor: runtime.executor(), store: store, maxIterations: maxIterations,
            policy: policy, settings: recorded, resources: Resources(runtime: nil, generator: nil))
        return await run.outcome(onEvent: observe(run))
    }

    /// Closes the runtimes and the generator.
    public func close() async { await opened.close() }
}

extension Session {
    /// Opens what `bench`'s problems in `languages` run with, each runtime warmed for `jobs` at once; the caller
    /// closes it.
    public func benchHarness(
        _ bench: BenchConfiguration, languages: Set<Language>, jobs: Int
    ) async throws(SessionError) -> BenchHarness {
        if let problem = configuration.limits.problem { throw .badInput(problem) }
        let opened = BenchResources()
        do {
            return try await openHarness(bench, languages: languages, jobs: jobs, opened: opened)
        } catch {
            await opened.close()
            throw error
        }
    }
}
