import ArgumentParser
import AutoCoder
import AutoCoderApp
import AutoCoderExecution

/// `autocoder bench polyglot PATH`: Aider's polyglot benchmark, from a checkout of its repository.
struct BenchPolyglotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "polyglot",
        abstract: "Run Aider's polyglot benchmark (225 Exercism exercises in six languages) from a checkout.",
        discussion: """
            PATH is a clone of https://github.com/Aider-AI/polyglot-benchmark (<language>/exercises/practice/<slug>/). \
            Aider's protocol: each exercise's instructions and stub files (not the tests' code; --show-tests adds \
            it), at most 2 tries with the test output fed back between them (--max-iterations changes it), every test the track marks skipped turned on. The \
            table gives, per language, the pass rate after try 1 and after try 2, the share of well-formed replies, \
            tokens, cost and time; --json carries the same fields ('languages'). --oracle canonical answers with \
            each exercise's example solution, --oracle broken with its stubs.
            Exit codes: 0 finished (whatever the pass rate) · 2 bad input · 3 the tests could not run · 130 \
            interrupted.
            """)

    @Argument(help: ArgumentHelp("The benchmark's checkout.", valueName: "path"))
    var path: String

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp(
            "Run only these languages (the track folders' names: cpp, go, java, javascript, python, rust).",
            valueName: "language"))
    var languages: [String] = []

    @Flag(help: "Show the tests' code in the prompts (Aider's protocol shows only the instructions and the stubs).")
    var showTests = false

    @OptionGroup var options: BenchOptions
    @OptionGroup var generatorOptions: GeneratorOptions
    @OptionGroup var execution: ExecutionOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var eventsOption: EventsOption

    func validate() throws {
        try eventsOption.check(json: execution.json)
    }

    func run() async throws {
        var bench = options.configuration(dataset: path)
        bench.format = .polyglot
        bench.showTests = showTests
        let chosen = languages.flatMap { $0.split(separator: ",") }.map { Language(String($0)) }
        bench.languages = chosen.isEmpty ? nil : chosen
        try await options.run(
            bench, generator: generatorOptions, execution: execution, store: storeOptions, events: eventsOption,
            byLanguage: true)
    }
}

/// `autocoder bench exercism PATH`: the practice exercises of one Exercism track's checkout.
struct BenchExercismCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercism",
        abstract: "Run the practice exercises of an Exercism track checkout, as 'bench polyglot' runs its tracks.",
        discussion: """
            PATH is a clone of an Exercism track (for example https://github.com/exercism/go), with \
            exercises/practice/<slug>/. Its language is --language, else the track's config.json slug, else the \
            folder's name. The protocol and the table are those of 'bench polyglot'.
            Exit codes: 0 finished (whatever the pass rate) · 2 bad input · 3 the tests could not run · 130 \
            interrupted.
            """)

    @Argument(help: ArgumentHelp("The track's checkout.", valueName: "path"))
    var path: String

    @Flag(help: "Show the tests' code in the prompts (Aider's protocol shows only the instructions and the stubs).")
    var showTests = false

    @OptionGroup var options: BenchOptions
    @OptionGroup var generatorOptions: GeneratorOptions
    @OptionGroup var execution: ExecutionOptions
    @OptionGroup var languageOption: LanguageOption
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var eventsOption: EventsOption

    func validate() throws {
        try eventsOption.check(json: execution.json)
    }

    func run() async throws {
        var bench = options.configuration(dataset: path)
        bench.format = .exercism
        bench.showTests = showTests
        bench.languages = languageOption.language.map { [$0] }
        try await options.run(
            bench, generator: generatorOptions, execution: execution, store: storeOptions, events: eventsOption,
            byLanguage: true)
    }
}
