import ArgumentParser
import AutoCoder
import AutoCoderApp
import Foundation

/// `autocoder fix`: the loop on an existing repository, until its own test command passes.
struct FixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fix",
        abstract: "Edit an existing repository until its own test command passes.",
        discussion: """
            The tests run once first (the baseline): if they pass there is nothing to fix. Otherwise the model is \
            shown the failures, a map of the repository and the files the failures point at, and answers with \
            SEARCH/REPLACE edits. Every run works on an overlay of the repository inside the sandbox (its writes land \
            in a layer of their own; a copy where overlays are unavailable); the test files \
            (--tests, default the toolchain's) are read-only. The user's tree is only written at the end, with \
            --apply or --commit (both refuse uncommitted changes unless --allow-dirty); by default the final \
            unified diff is printed and recorded. The test command's --timeout defaults to \(FixConfiguration.defaultTimeout) s.
            Exit codes: 0 fixed, or nothing to fix · 1 stopped unfixed · 2 bad input · 3 the test command fails \
            before any test runs, or a generator or executor failure · 130 interrupted.
            """)

    @Argument(help: ArgumentHelp("The repository. (default: the current directory)", valueName: "path"))
    var path: String = "."

    @Option(name: .customLong("test-cmd"), help: "The shell command that runs the tests, from the repository's root.")
    var testCommand: String?

    @Option(help: "What the change is for, when the failing tests were written first for new work.")
    var goal: String?

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp("Glob patterns of the protected test files. (default: the toolchain's)", valueName: "glob"))
    var tests: [String] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Files the model is always shown.", valueName: "path"))
    var files: [String] = []

    @Option(
        name: .customLong("map-tokens"), parsing: .unconditional,
        help: "The repository map's budget in tokens. (default: 1024)")
    var mapTokens: Int?

    @Flag(help: "Write the changes into the working tree at the end.")
    var apply = false

    @Flag(
        help: "Commit the changes on a new branch autocoder/<run id> at the end, without checking it out.")
    var commit = false

    @Flag(help: "Apply or commit even when the working tree has uncommitted changes.")
    var allowDirty = false

    @OptionGroup var runOptions: RunOptions
    @OptionGroup(title: "Loop guards") var loop: LoopOptions
    @OptionGroup var generatorOptions: GeneratorOptions
    @OptionGroup var execution: SandboxOptions
    @OptionGroup var languageOption: LanguageOption
    @OptionGroup var integrityOption: IntegrityOption
    @OptionGroup var testEnvironment: TestEnvironmentOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var eventsOption: EventsOption

    func validate() throws {
        try eventsOption.check(json: execution.json)
        try storeOptions.check(noStore: runOptions.noStore)
        if apply, commit { throw ValidationError("--apply and --commit are two ways to end; give one of them.") }
        if let mapTokens, mapTokens < 0 {
            throw ValidationError("--map-tokens must be at least 0 (it is \(mapTokens)).")
        }
        if let testCommand, testCommand.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--test-cmd is empty: give the command that runs the tests.")
        }
    }

    func run() async throws {
        let configuration = RunConfiguration(
            task: TaskSource(
                language: languageOption.language, timeoutSeconds: execution.timeout,
                environment: try testEnvironment.variables()),
            loop: loop.settings(maxIterations: runOptions.maxIterations), generator: generatorOptions.configuration,
            store: runOptions.noStore ? nil : storeOptions.path)
        let fix = FixConfiguration(
            path: path, testCommand: testCommand, goal: goal, tests: tests, files: files, mapTokens: mapTokens,
            output: commit ? .commit : apply ? .apply : .diff, allowDirty: allowDirty)
        let prepared: FixRun
        do {
            prepared = try await execution.session(
                configuration, limits: execution.limits(integrity: integrityOption.integrity), quiet: runOptions.quiet
            ).fix(fix)
        } catch {
            throw CLIExit(error)
        }
        let repository = prepared.repository
        guard let run = prepared.run else {
            if execution.json {
                try Terminal.json(try await report(prepared, nil, output: fix.output))
            } else {
                // No run, so no events: the line goes to stderr under --events, whose stdout stays empty.
                let line = "Nothing to fix: `\(repository.testCommand)` passes."
                if eventsOption.events { Terminal.note(line) } else { Terminal.out(line) }
            }
            return
        }
        let progress = ProgressPrinter(enabled: !runOptions.quiet, limit: run.maxIterations)
        if !runOptions.quiet {
            Terminal.note("Fixing \(repository.root) (at most \(counted(run.maxIterations, "iteration")))")
        }
        let outcome = await eventsOption.outcome(of: run, progress: progress)
        // An interrupted run delivers nothing (it is not solved).
        let report = try await report(prepared, outcome, output: fix.output)
        if execution.json {
            try Terminal.json(report)
        } else {
            if !report.diff.isEmpty, !eventsOption.events { Terminal.out(report.diff) }
            if outcome.solved {
                Terminal.note(
                    report.branch.map {
                        "Committed on branch \($0); your checkout and work tree are unchanged (git switch \($0), or "
                            + "git merge \($0))."
                    }
                        ?? (fix.output == .apply
                            ? "Applied to \(repository.root)." : "Not applied (pass --apply or --commit)."))
            }
        }
        switch outcome.stopReason {
        case .testsPassed: return
        case .error: throw CLIExit.toolFailure(outcome.error ?? "the run failed")
        case .cancelled:
            throw CLIExit(code: .interrupted, message: "interrupted; the run was stopped; nothing was changed.")
        default: throw CLIExit(code: .failure)
        }
    }

    /// ``FixRun/report(_:delivering:)``, a session's error as the CLI's exit.
    private func report(
        _ prepared: FixRun, _ outcome: RunOutcome?, output: FixConfiguration.Output
    ) async throws
        -> FixReport
    {
        do {
            return try await prepared.report(outcome, delivering: output)
        } catch {
            throw CLIExit(error)
        }
    }
}
