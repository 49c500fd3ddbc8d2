import ArgumentParser
import AutoCoder
import AutoCoderApp
import AutoCoderExecution
import Foundation

/// `autocoder test`: runs tests once against given code.
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run tests once against the given code, in a fresh isolated workspace.",
        discussion: """
            Each code file keeps its name, so the tests import it by that name (add.py → import add). Swift code \
            files go into the module (--module, default Solution) of a package autocoder writes; Swift tests into \
            its test target.
            Exit codes: 0 all passed · 1 some failed, errored or timed out, or no test ran · 2 bad input · \
            3 the runner itself failed.
            """)

    @Option(parsing: .upToNextOption, help: ArgumentHelp("The code files.", valueName: "file"))
    var code: [String] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("The test files.", valueName: "file"))
    var tests: [String] = []

    @OptionGroup var execution: SandboxOptions
    @OptionGroup var languageOption: LanguageOption
    @OptionGroup var moduleOption: ModuleOption
    @OptionGroup var integrityOption: IntegrityOption
    @OptionGroup var testEnvironment: TestEnvironmentOptions

    func validate() throws {
        if code.isEmpty { throw ValidationError("Missing --code FILE… (the code to test).") }
        if tests.isEmpty { throw ValidationError("Missing --tests FILE… (the tests to run).") }
    }

    func run() async throws {
        var task: CodingTask
        let codeFiles: [CodeFile]
        do {
            task = try TaskLoader(languages: Toolchains.languages).task(
                description: "Run the tests once.", testFiles: tests.map { URL(fileURLWithPath: $0) },
                settings: TaskSettings(
                    language: languageOption.language, timeoutSeconds: execution.timeout, module: moduleOption.module))
            // Each file keeps its name, in the folder its language keeps code in (Rust's src/).
            let rules = try Toolchains.require(task.language)
            codeFiles = try code.map { path in
                let name = URL(fileURLWithPath: path).lastPathComponent
                return CodeFile(
                    path: rules.isSource(name)
                        ? rules.placement(ofBareName: name, solutionPath: task.solutionPath) : name,
                    content: try TaskLoader.readText(URL(fileURLWithPath: path)))
            }
        } catch let error as InputError {
            throw CLIExit.badInput(error.message)
        }
        let names = codeFiles.map(\.path)
        if let clash = names.first(where: { name in task.tests.contains { $0.path == name } }) {
            throw CLIExit.badInput("\(clash) is given both as code and as a test; they need distinct names.")
        }
        if Set(names).count != names.count {
            throw CLIExit.badInput("two code files have the same name; code files need distinct names.")
        }

        try testEnvironment.apply(to: &task)
        let session = execution.session(
            RunConfiguration(), limits: execution.limits(warmWorker: false, integrity: integrityOption.integrity))
        await session.warnAboutMissingLayers()
        let result: TestResult
        do {
            result = try await session.test(codeFiles, for: task)
        } catch .cancelled {
            throw CancellationError()
        } catch {
            throw CLIExit(error)
        }
        if execution.json {
            try Terminal.json(result)
        } else {
            ResultPrinter.printTests(result)
        }
        switch result.outcome {
        case .passed: return
        case .infrastructureError: throw CLIExit.toolFailure(result.message ?? "the test runner failed")
        default: throw CLIExit(code: .failure)
        }
    }
}
