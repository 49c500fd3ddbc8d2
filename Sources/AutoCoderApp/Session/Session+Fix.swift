import AutoCoder
import AutoCoderExecution
import AutoCoderStore
import Foundation

/// A `fix` ready to run: the run, and what the baseline said.
public struct FixRun: Sendable {
    /// The loop's run; `nil` when the baseline passed (nothing to fix).
    public var run: SessionRun?
    /// The test command's first result, before any model call.
    public var baseline: TestResult
    public var repository: RepositoryContext

    /// What every front end reports of the fix once its run ended with `outcome` (`nil`: there was no run): the
    /// diff, and the fix delivered as `output` when it is solved (written, or committed on the branch it names).
    public func report(
        _ outcome: RunOutcome?, delivering output: FixConfiguration.Output
    ) async throws(SessionError) -> FixReport {
        guard let outcome else {
            return FixReport(
                repository: repository.root, baseCommit: repository.baseCommit, testCommand: repository.testCommand,
                baseline: baseline, diff: "", nothingToFix: true)
        }
        let branch = try await Session.deliver(outcome, repository: repository, as: output)
        return FixReport(
            outcome: outcome, repository: repository.root, baseCommit: repository.baseCommit,
            testCommand: repository.testCommand, baseline: baseline,
            diff: Session.diff(outcome.finalFiles, repository: repository), branch: branch, nothingToFix: false)
    }
}

extension Session {
    /// Prepares `fix`: finds the test command, runs it once (the baseline; a pass means there is nothing to fix),
    /// and builds the task the model sees: the goal and the failures, the repository map, and the files the failures
    /// point at. The user's tree is not written.
    public func fix(_ fix: FixConfiguration) async throws(SessionError) -> FixRun {
        if let problem = configuration.limits.problem { throw .badInput(problem) }
        var isDirectory: ObjCBool = false
        var root = URL(fileURLWithPath: fix.path).standardizedFileURL
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) else {
            throw .badInput("\(fix.path) does not exist.")
        }
        guard isDirectory.boolValue else {
            throw .badInput("\(fix.path) is a file; fix takes a repository's directory.")
        }
        let settings = configuration.limits.toolchainSettings()
        // `--language` names the toolchain; otherwise the first that recognises the project.
        let given = try configuration.task.language.map { language throws(SessionError) in
            try Self.toolchain(for: language)
        }
        func recognition(at root: URL) async -> (toolchain: any Toolchain, facts: ProjectFacts)? {
            for toolchain in given.map({ [$0] }) ?? Toolchains.all {
                if let facts = await toolchain.recognise(projectAt: root, settings: settings) {
                    return (toolchain, facts)
                }
            }
            return nil
        }
        var recognised = await recognition(at: root)
        // A folder inside a repository, with no project of its own: the repository's root, as git finds it.
        if recognised == nil, fix.testCommand == nil, let top = await GitRepository.open(root)?.topLevel(),
            top.path != root.path, let found = await recognition(at: top)
        {
            notice("\(fix.path) is inside the repository at \(top.path); fixing the repository from there.")
            (root, recognised) = (top, found)
        }
        guard let command = fix.testCommand ?? recognised?.facts.testCommand else {
            throw .badInput(
                "\(root.path) has no tests autocoder recognises (\(Toolchains.languages.names)); give the command that "
                    + "runs them with --test-cmd.")
        }
        let toolchain = given ?? recognised?.toolchain ?? Toolchains.all[0]
        let git = await GitRepository.open(root)
        if fix.output != .diff, !fix.allowDirty {
            guard let git else {
                if fix.output == .commit {
                    throw .badInput("--commit needs a git repository; \(root.path) is not one.")
                }
                return try await prepareFix(
                    fix, root: root, command: command, toolchain: toolchain, recognised: recognised?.facts, git: nil)
            }
            if (try? await git.isDirty()) != false {
                throw .badInput(
                    "\(root.path) has uncommitted changes; commit or stash them, or pass --allow-dirty. Nothing was changed."
                )
            }
        }
        return try await prepareFix(
            fix, root: root, command: command, toolchain: toolchain, recognised: recognised?.facts, git: git)
    }

    private func prepareFix(
        _ fix: FixConfiguration, root: URL, command: String, toolchain: any Toolchain, recognised: ProjectFacts?,
        git: GitRepository?
    ) async throws(SessionError) -> FixRun {
        var settings = configuration.limits.toolchainSettings()
        settings.projectDirectory = root.path
        // A project's whole suite (a build included) takes longer than one task's tests.
        if configuration.limits.timeoutSeconds == nil { settings.timeout = .seconds(FixConfiguration.defaultTimeout) }
        let patterns = fix.tests.isEmpty ? recognised?.testPatterns ?? Self.defaultTestPatterns : fix.tests
        var repository = RepositoryContext(
            root: root.path, baseCommit: await git?.head(), testCommand: command, protectedPatterns: patterns)
        let executor = await Self.repositoryExecutor(toolchain, settings: settings)
        if !RepositoryExecutor.usesOverlay(settings.sandbox) {
            notice(
                "fix: no overlay here (it needs root and the sandbox); each test run copies the repository, which "
                    + "takes longer the larger it is.")
        }
        await warnAboutMissingLayers()
        var probe = CodingTask(
            description: fix.goal ?? "", tests: [], language: toolchain.language, solutionPath: "",
            timeoutSeconds: configuration.task.timeoutSeconds ?? Double(FixConfiguration.defaultTimeout))
        probe.repository = repository
        probe.environment = configuration.task.environment
        notice("Running the tests once first: \(command)")
        let baseline: TestResult
        do {
            baseline = try await executor.test([], for: probe)
        } catch {
            throw .failed(error)
        }
        switch baseline.outcome {
        case .passed:
            return FixRun(run: nil, baseline: baseline, repository: repository)
        case .failed:
            if let reason = toolchain.unfixable(baseline, projectAt: root) {
                throw .unavailable("The test command fails before running any test: \(reason)")
            }
        case .infrastructureError:
            let reason = baseline.message.map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 } ?? "it was not found"
            throw .badInput("The test command cannot run: \(reason). Nothing was changed.")
        case .error where baseline.tests.isEmpty && baseline.message?.hasPrefix("The test command failed") == true:
            let message = baseline.message ?? ""
            let trimmed = message.hasSuffix(":") ? String(message.dropLast()) : message
            let closed = trimmed.hasSuffix(".") || trimmed.hasSuffix(")") ? trimmed : trimmed + "."
            throw .unavailable(closed + " Nothing was changed, and no model was called.")
        default:
            throw .unavailable(
                "The test command fails before running any test (\(baseline.outcome.rawValue)): "
                    + "\(baseline.message ?? String(baseline.output.suffix(400)))")
        }
        let files = RepositoryMap.files(under: root)
        let mentioned = Self.relevantFiles(
            RepositoryMap.mentioned(in: baseline.output + baseline.tests.compactMap(\.details).joined(), files: files),
            root: root, files: files)
        for path in fix.files where !files.contains(path) {
            throw .badInput("--files \(path) is not a readable text file of \(root.path).")
        }
        var shown: [CodeFile] = []
        var leftOut: [String] = []
        var budget = FixConfiguration.fileBudget
        for path in fix.files + mentioned where !shown.contains(where: { $0.path == path }) {
            guard let text = try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8),
                text.count <= budget || fix.files.contains(path)
            else {
                leftOut.append(path)
                continue
            }
            shown.append(CodeFile(path: path, content: text))
            budget -= text.count
        }
        repository.files = shown
        repository.map = RepositoryMap.text(
            root: root, files: files, first: mentioned, languages: Toolchains.languages,
            characters: (fix.mapTokens ?? FixConfiguration.defaultMapTokens) * 4)
        let failing = baseline.problems.map(\.name)
        repository.title =
            "Fix \(root.lastPathComponent): "
            + (fix.goal.flatMap { $0.split(separator: "\n").first.map(String.init) }
                ?? (failing.isEmpty
                    ? "make its tests pass"
                    : "make \(failing.prefix(3).joined(separator: ", "))"
                        + (failing.count > 3 ? " and \(failing.count - 3) more" : "") + " pass"))
        var task = probe
        task.repository = repository
        task.description =
            (repository.title.map { $0 + "\n\n" } ?? "") + (fix.goal.map { $0 + "\n\n" } ?? "")
            + "The test command `\(command)` fails. Make every failing test pass "
            + "without breaking a test that passes.\n\n" + configuration.loop.feedbackFormatter.render(baseline)
            + (leftOut.isEmpty
                ? "" : "\n\nAlso relevant but not shown, for space: \(leftOut.joined(separator: ", ")).")
        task.maxIterations = configuration.iterationLimit(of: task)
        let store = try openStore()
        let (generator, policy) = try await openGenerator()
        let run = prepare(
            task, generator: generator.generator, executor: executor, store: store,
            maxIterations: LoopSettings.defaultMaxIterations, policy: policy,
            settings: configuration.runSettings(
                for: task, provider: generator.provider, model: generator.model, policy: policy),
            resources: Resources(runtime: nil, generator: generator))
        return FixRun(run: run, baseline: baseline, repository: repository)
    }

    /// The source files the failures name, followed by what they import (two levels deep), in that order.
    static func relevantFiles(_ mentioned: [String], root: URL, files: [String]) -> [String] {
        let catalog = Toolchains.languages
        let known = Set(files)
        var relevant = mentioned.filter { catalog.rules(forFile: $0) != nil }
        var frontier = relevant
        for _ in 0..<2 {
            var next: [String] = []
            for path in frontier {
                guard let rules = catalog.rules(forFile: path),
                    let code = try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
                else { continue }
                for imported in rules.importedFiles(by: code, at: path, among: known) where !relevant.contains(imported)
                {
                    relevant.append(imported)
                    next.append(imported)
                }
            }
            frontier = next
        }
        return relevant
    }

    /// The executor of a repository's own test command, with what `toolchain` knows of its runner.
    static func repositoryExecutor(_ toolchain: any Toolchain, settings: ToolchainSettings) async -> RepositoryExecutor
    {
        RepositoryExecutor(
            timeout: settings.timeout, sandbox: settings.sandbox, runtime: await toolchain.commandRuntime(settings),
            reporting: { toolchain.reportingCommand($0, report: $1) })
    }

    /// Test files by the usual conventions, when no toolchain recognised the project and `--tests` names none.
    static let defaultTestPatterns = ["test_*", "*_test.*", "*.test.*", "*_spec.*", "tests/**", "test/**", "Tests/**"]

    /// The unified diff from the repository's files to `files`, relative to its root (`a/PATH`, `b/PATH`).
    public static func diff(_ files: [CodeFile], repository: RepositoryContext) -> String {
        files.sorted { $0.path < $1.path }.map { file in
            let old =
                (try? String(
                    contentsOf: URL(fileURLWithPath: repository.root).appendingPathComponent(file.path), encoding: .utf8
                )) ?? ""
            return LineDiff.unified(
                old: old, new: file.content, oldName: old.isEmpty ? "/dev/null" : "a/\(file.path)",
                newName: "b/\(file.path)")
        }.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// Writes `outcome`'s final files into the repository (`apply`), or commits them on a new branch named after the
    /// run without checking it out or touching the work tree (`commit`); returns the branch when it made one.
    public static func deliver(
        _ outcome: RunOutcome, repository: RepositoryContext, as output: FixConfiguration.Output
    ) async throws(SessionError) -> String? {
        guard output != .diff, outcome.solved, !outcome.finalFiles.isEmpty else { return nil }
        let root = URL(fileURLWithPath: repository.root)
        var branch: String?
        if output == .commit {
            guard let git = await GitRepository.open(root) else {
                throw .unavailable("\(root.path) is no longer a git repository.")
            }
            // The branch is made beside the user's: nothing is checked out, and the work tree is not written.
            let name = "autocoder/\(outcome.runID.prefix(8))"
            let subject = "autocoder: " + (repository.title ?? "fix \(root.lastPathComponent)")
            let command = repository.testCommand.split(separator: " ")
                .map { ($0 as NSString).lastPathComponent }.joined(separator: " ")
            do {
                try await git.commitOnNewBranch(
                    name, files: outcome.finalFiles,
                    message: subject + "\n\nThe tests pass with `\(command)`. Run \(outcome.runID).")
            } catch {
                throw .unavailable(error.localizedDescription)
            }
            return name
        }
        try write(outcome.finalFiles, into: root)
        return nil
    }

    private static func write(_ files: [CodeFile], into root: URL) throws(SessionError) {
        for file in files {
            let url = root.appendingPathComponent(file.path)
            do {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.bytes.write(to: url)
            } catch {
                throw .unavailable("could not write \(file.path): \(error.localizedDescription)")
            }
        }
    }
}
