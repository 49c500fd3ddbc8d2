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
        let jobs = bench.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        // HumanEval is one language throughout: its toolchain warms up while its data is read.
        if isHumanEval {
            opened.add(
                try Self.toolchain(for: HumanEval.language).open(configuration.limits.toolchainSettings()),
                for: HumanEval.language)
        }
        async let warmedEarly: Void = { await opened.runtime(for: HumanEval.language)?.warmUp(workers: jobs) }()
        let loaded: Result<BenchSelection, SessionError>
        do {
            loaded = .success(try await benchSelection(bench))
        } catch {
            loaded = .failure(error)
        }
        await warmedEarly
        let selection = try loaded.get()
        let harness = try await openHarness(
            bench, languages: Set(selection.problems.map(\.task.language)), jobs: jobs, opened: opened)
        let runner = BenchRunner(jobs: jobs)
        notice(
            "Running \(selection.problems.count) problem(s) of \(selection.name) with \(harness.source), "
                + "\(runner.jobs) at a time")
        onStart(selection.problems.count)
        let start = ContinuousClock.now
        let watch: @Sendable (SessionRun) -> @Sendable (CodingEvent) -> Void = observe ?? { _ in { _ in } }
        let results: [BenchResult]
        do {
            results = try await runner.run(selection.problems, onResult: onResult) { problem in
                try await harness.solve(problem, observe: watch)
            }
        } catch let error as SessionError {
            throw error
        } catch let error as InputError {
            throw .badInput(error.message)
        } catch {
            throw .failed(error)
        }
        if let store = harness.store {
            notice("Recorded \(results.count) run(s) in \(store.path) (see 'autocoder runs list').")
        }
        let elapsed = ContinuousClock.now - start
        var summary = BenchSummary(
            dataset: selection.name, results: results,
            wallSeconds: elapsed.seconds,
            interrupted: Task.isCancelled || results.contains { $0.stopReason == .cancelled },
            impossible: bench.impossible)
        summary.shard = selection.shard
        return BenchOutcome(summary: summary, source: harness.source, store: harness.store?.path)
    }

    /// Opens what `bench`'s problems run with (a warm runtime per language in `languages`, the generator unless an
    /// oracle answers, the store when it records) into `opened`, which closes them.
    func openHarness(
        _ bench: BenchConfiguration, languages: Set<Language>, jobs: Int, opened: BenchResources
    ) async throws(SessionError) -> BenchHarness {
        let generator =
            bench.oracle == nil ? try await Providers.open(configuration.generator, context: providerContext) : nil
        opened.generator = generator
        await warnAboutMissingLayers()
        let settings = configuration.limits.toolchainSettings()
        var unavailable: [Language: String] = [:]
        for language in languages.sorted() {
            // What `solve` checks before a run, once per language here: an interpreter that is no Python, a missing
            // runner. The problem's own suite is checked by its run.
            let probe = CodingTask(description: "", tests: [], language: language, solutionPath: "")
            if case .unavailable(let reason) = await (try Self.toolchain(for: language)).preflight(
                probe, settings: settings)
            {
                unavailable[language] = reason
            }
        }
        for language in languages.sorted() where opened.runtime(for: language) == nil && unavailable[language] == nil {
            let runtime = try Self.toolchain(for: language).open(settings)
            opened.add(runtime, for: language)
            await runtime.warmUp(workers: jobs)
        }
        let tries = [.polyglot, .exercism].contains(bench.format) ? BenchConfiguration.exercismTries : nil
        let maxIterations =
            configuration.loop.maxIterations ?? (bench.oracle == nil ? tries ?? LoopSettings.defaultMaxIterations : 1)
        let policy = LoopPolicy(
            maxReplyTokens: generator?.maxReplyTokens ?? LoopPolicy().maxReplyTokens, pricing: generator?.pricing)
        let recorded = configuration.limits.recorded(
            provider: bench.oracle.map { "oracle-\($0.rawValue)" } ?? generator?.provider ?? "unknown",
            model: generator?.model, maxIterations: maxIterations)
        var harness = BenchHarness(
            session: self, oracle: bench.oracle, opened: opened, store: bench.record ? try openStore() : nil,
            maxIterations: maxIterations, policy: policy, recorded: recorded,
            source: bench.oracle.map { "the \($0.rawValue) oracle" }
                ?? [generator?.provider, generator?.model].compactMap { $0 }.joined(separator: " "))
        harness.unavailable = unavailable
        return harness
    }

    /// The problems `bench` runs: the data set's, after `offset` and `limit`, with `--shard` the part asked for,
    /// made impossible or checked for the oracle's folders as asked; and the data set's name.
    public func benchSelection(_ bench: BenchConfiguration) async throws(SessionError) -> BenchSelection {
        let isHumanEval = bench.dataset == BenchConfiguration.humanEval
        let directory = Self.resolve(dataset: bench.dataset)
        let (problems, shard) = try await problems(bench, directory: directory)
        let name =
            isHumanEval ? bench.dataset : bench.format == .polyglot ? "polyglot" : directory.lastPathComponent
        return BenchSelection(name: name, problems: problems, shard: shard)
    }

    private func problems(
        _ bench: BenchConfiguration, directory: URL
    ) async throws(SessionError) -> ([BenchProblem], BenchShard?) {
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
                    root: directory, languages: bench.languages.map(Set.init), showingTests: bench.showTests ?? false,
                    skipping: { warn("autocoder: warning: " + $0) })
                if !loaded.leftOut.isEmpty {
                    notice(
                        "No toolchain runs these tracks; they are left out: \(loaded.leftOut.joined(separator: ", "))")
                }
                problems = loaded.problems
            case .exercism:
                problems = try Exercism.loadTrack(
                    root: directory, language: bench.languages?.first, showingTests: bench.showTests ?? false,
                    skipping: { warn("autocoder: warning: " + $0) })
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
