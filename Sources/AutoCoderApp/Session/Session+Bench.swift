import AutoCoder
import AutoCoderBench
import AutoCoderExecution
import AutoCoderStore
import Foundation

/// What a benchmark gives back.
public struct BenchOutcome: Sendable {
    public var summary: BenchSummary
    /// Who answered: "the canonical oracle", or the provider and model.
    public var source: String
    /// The store the problems' runs were recorded in, if any.
    public var store: String?
}

extension Session {
    /// Runs a task set's problems through the loop (each one a run like `solve`'s, recorded with `record`) or
    /// through an oracle, `bench.jobs` at once, calling `onStart` with the number of problems before the first
    /// starts and `onResult` as each ends. The toolchains and the generator it opens are closed when it returns.
    /// `observe`, when given, is asked for each problem's run as it starts, and gets that run's events.
    public func bench(
        _ bench: BenchConfiguration, onStart: @escaping @Sendable (Int) -> Void = { _ in },
        onResult: @escaping @Sendable (BenchResult) -> Void = { _ in },
        observe: (@Sendable (SessionRun) -> @Sendable (CodingEvent) -> Void)? = nil
    ) async throws(SessionError) -> BenchOutcome {
        if let problem = configuration.limits.problem { throw .badInput(problem) }
        let opened = BenchResources()
        do {
            let outcome = try await runBench(
                bench, opened: opened, onStart: onStart, onResult: onResult, observe: observe)
            await opened.close()
            return outcome
        } catch {
            await opened.close()
            throw error
        }
    }

    private func runBench(
        _ bench: BenchConfiguration, opened: BenchResources, onStart: @escaping @Sendable (Int) -> Void,
        onResult: @escaping @Sendable (BenchResult) -> Void,
        observe: (@Sendable (SessionRun) -> @Sendable (CodingEvent) -> Void)?
    ) async throws(SessionError) -> BenchOutcome {
        let isHumanEval = bench.dataset == BenchConfiguration.humanEval
        let directory = Self.resolve(dataset: bench.dataset)
        let jobs = bench.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let settings = configuration.limits.toolchainSettings()
        // HumanEval is one language throughout: its toolchain warms up while its data is read.
        if isHumanEval {
            opened.add(try Self.toolchain(for: HumanEval.language).open(settings), for: HumanEval.language)
        }
        async let warmedEarly: Void = { await opened.runtime(for: HumanEval.language)?.warmUp(workers: jobs) }()
        let loaded: Result<([BenchProblem], BenchShard?), SessionError>
        do {
            loaded = .success(try await problems(bench, directory: directory))
        } catch {
            loaded = .failure(error)
        }
        await warmedEarly
        let (problems, shard) = try loaded.get()
        let generator =
            bench.oracle == nil ? try await Providers.open(configuration.generator, context: providerContext) : nil
        opened.generator = generator
        await warnAboutMissingLayers()
        for language in Set(problems.map(\.task.language)).sorted() where opened.runtime(for: language) == nil {
            let runtime = try Self.toolchain(for: language).open(settings)
            opened.add(runtime, for: language)
            await runtime.warmUp(workers: jobs)
        }
        let name =
            isHumanEval ? bench.dataset : bench.format == .polyglot ? "polyglot" : directory.lastPathComponent
        let tries = [.polyglot, .exercism].contains(bench.format) ? BenchConfiguration.exercismTries : nil
        let runner = BenchRunner(
            jobs: jobs,
            maxIterations: configuration.loop.maxIterations
                ?? (bench.oracle == nil ? tries ?? LoopSettings.defaultMaxIterations : 1),
            policy: LoopPolicy(
                maxReplyTokens: generator?.maxReplyTokens ?? LoopPolicy().maxReplyTokens, pricing: generator?.pricing))
        let source = bench.oracle.map { "the \($0.rawValue) oracle" }
        notice(
            "Running \(problems.count) problem(s) of \(name) with \(source ?? "the generator"), \(runner.jobs) at a time"
        )
        let store = bench.record ? try openStore() : nil
        var recorded = RunSettings(
            provider: bench.oracle.map { "oracle-\($0.rawValue)" } ?? generator?.provider ?? "unknown",
            model: generator?.model, maxIterations: runner.maxIterations,
            timeoutSeconds: configuration.limits.timeoutSeconds ?? Limits.defaultTimeout,
            memoryMB: configuration.limits.memoryMB ?? Limits.defaultMemoryMB,
            maxProcesses: configuration.limits.maxProcesses ?? Limits.defaultMaxProcesses,
            sandbox: configuration.limits.sandbox, python: configuration.limits.python)
        recorded.integrity = configuration.limits.integrity ?? .strict
        recorded.diskMB = configuration.limits.diskMB ?? Limits.defaultDiskMB
        onStart(problems.count)
        let start = ContinuousClock.now
        let watch: @Sendable (SessionRun) -> @Sendable (CodingEvent) -> Void = observe ?? { _ in { _ in } }
        let results: [BenchResult]
        do {
            results = try await runner.run(problems, onResult: onResult) { [recorded] problem in
                let answer: any CodeGenerator =
                    switch bench.oracle {
                    case .canonical: OracleGenerator(files: problem.reference)
                    case .broken: OracleGenerator(files: problem.broken)
                    case nil: try generator?.freshGenerator() ?? OracleGenerator(files: [])
                    }
                let runtime =
                    try opened.runtime(for: problem.task.language)
                    ?? Self.toolchain(for: problem.task.language).open(settings)
                let run = prepare(
                    problem.task, generator: answer, executor: runtime.executor(), store: store,
                    maxIterations: runner.maxIterations, policy: runner.policy, settings: recorded,
                    resources: Resources(runtime: nil, generator: nil))
                return await run.outcome(onEvent: watch(run))
            }
        } catch let error as SessionError {
            throw error
        } catch let error as InputError {
            throw .badInput(error.message)
        } catch {
            throw .failed(error)
        }
        if let store { notice("Recorded \(results.count) run(s) in \(store.path) (see 'autocoder runs list').") }
        let elapsed = ContinuousClock.now - start
        var summary = BenchSummary(
            dataset: name, results: results,
            wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            interrupted: Task.isCancelled || results.contains { $0.stopReason == .cancelled },
            impossible: bench.impossible)
        summary.shard = shard
        return BenchOutcome(
            summary: summary,
            source: source ?? [generator?.provider, generator?.model].compactMap { $0 }.joined(separator: " "),
            store: store?.path)
    }

    /// The problems to run: the data set's, after `offset` and `limit`, made impossible or checked for the oracle's
    /// folders as asked.
    /// The problems to run, and with `--shard` which part of the selection they are.
    private func problems(
        _ bench: BenchConfiguration, directory: URL
    ) async throws(SessionError) -> (
        [BenchProblem], BenchShard?
    ) {
        var problems: [BenchProblem]
        do {
            switch bench.format ?? .tasks {
            case .tasks:
                problems =
                    bench.dataset == BenchConfiguration.humanEval
                    ? try await HumanEval.load(python: configuration.limits.python)
                    : try TaskSet.load(directory: directory)
            case .polyglot:
                let loaded = try Exercism.loadPolyglot(
                    root: directory, languages: bench.languages.map(Set.init), showingTests: bench.showTests ?? false)
                if !loaded.leftOut.isEmpty {
                    notice(
                        "No toolchain runs these tracks; they are left out: \(loaded.leftOut.joined(separator: ", "))")
                }
                problems = loaded.problems
            case .exercism:
                problems = try Exercism.loadTrack(
                    root: directory, language: bench.languages?.first, showingTests: bench.showTests ?? false)
            }
        } catch let error as InputError {
            throw .badInput(error.message)
        } catch {
            throw .failed(error)
        }
        problems = Array(problems.dropFirst(bench.offset).prefix(bench.limit ?? Int.max))
        guard !problems.isEmpty else { throw .badInput("--offset \(bench.offset) leaves no problem to run.") }
        var shard: BenchShard?
        if let asked = bench.shard {
            (shard, problems) = asked.select(problems)
            guard !problems.isEmpty else { throw .badInput("Shard \(asked.index)/\(asked.count) has no problem.") }
        }
        if bench.impossible {
            let changed: [BenchProblem]
            let leftOut: [String]
            do {
                (changed, leftOut) = try await ImpossibleTests.mutate(problems, python: configuration.limits.python)
            } catch {
                throw .failed(error)
            }
            if !leftOut.isEmpty {
                notice(
                    "--impossible: \(leftOut.count) problem(s) have no 'assert CALL == VALUE' or "
                        + "'assertEqual(CALL, VALUE)' to change and are left out: \(leftOut.joined(separator: ", "))")
            }
            guard !changed.isEmpty else { throw .badInput("--impossible left no problem to run.") }
            problems = changed
        }
        if let oracle = bench.oracle,
            let missing = problems.first(where: { (oracle == .canonical ? $0.reference : $0.broken).isEmpty })
        {
            throw .badInput(
                "\(missing.id) has no \(oracle == .canonical ? "solution/" : "broken/") folder for --oracle \(oracle.rawValue)."
            )
        }
        return (problems, shard)
    }

    /// A data set's directory: the path given, else the name under ./benchmarks.
    static func resolve(dataset: String) -> URL {
        if dataset.hasPrefix("/") { return URL(fileURLWithPath: dataset) }
        let given = URL(fileURLWithPath: dataset)
        if FileManager.default.fileExists(atPath: given.path) { return given }
        return URL(fileURLWithPath: "benchmarks").appendingPathComponent(dataset)
    }
}

/// What a benchmark opened: a runtime per language and the generator, closed together at its end.
final class BenchResources: @unchecked Sendable {
    private let lock = NSLock()
    private var runtimes: [Language: any ToolchainRuntime] = [:]
    private var opened: OpenGenerator?

    var generator: OpenGenerator? {
        get { lock.withLock { opened } }
        set { lock.withLock { opened = newValue } }
    }

    func add(_ runtime: any ToolchainRuntime, for language: Language) {
        lock.withLock { runtimes[language] = runtime }
    }

    func runtime(for language: Language) -> (any ToolchainRuntime)? {
        lock.withLock { runtimes[language] }
    }

    func close() async {
        let (all, generator) = lock.withLock { (Array(runtimes.values), opened) }
        for runtime in all { await runtime.close() }
        generator?.close()
    }
}
