import AutoCoder
import AutoCoderExecution
import Foundation

/// Where a run's task comes from: a task directory, a description with test files, or a task given whole; and
/// what is laid over it.
public struct TaskSource: Codable, Hashable, Sendable {
    /// A task directory (task.md, tests/, starter/, holdout/).
    public var directory: String?
    /// What the code must do, with ``tests`` (instead of a directory).
    public var description: String?
    /// The test files that go with ``description``.
    public var tests: [String]
    /// A task given whole (a front end that has no files).
    public var task: CodingTask?
    /// Laid over the task: its language, solution file, module, test timeout and variables.
    public var language: Language?
    public var solution: String?
    public var module: String?
    public var timeoutSeconds: Double?
    public var environment: [String: String]
    /// Held-out test files: never shown to the generator, run on the final code.
    public var holdout: [String]

    public init(
        directory: String? = nil, description: String? = nil, tests: [String] = [], task: CodingTask? = nil,
        language: Language? = nil, solution: String? = nil, module: String? = nil, timeoutSeconds: Double? = nil,
        environment: [String: String] = [:], holdout: [String] = []
    ) {
        self.directory = directory
        self.description = description
        self.tests = tests
        self.task = task
        self.language = language
        self.solution = solution
        self.module = module
        self.timeoutSeconds = timeoutSeconds
        self.environment = environment
        self.holdout = holdout
    }

    /// The task, with what is laid over it.
    /// - Throws: ``SessionError/badInput(_:)`` naming what is missing or wrong.
    public func load(languages: LanguageCatalog = Toolchains.languages) throws(SessionError) -> CodingTask {
        let loader = TaskLoader(languages: languages)
        var task: CodingTask
        do {
            if let given = self.task {
                task = given
                try relayout(&task, languages: languages)
            } else if let directory {
                task = try loader.load(directory: URL(fileURLWithPath: directory))
                try relayout(&task, languages: languages)
            } else if let description {
                task = try loader.task(
                    description: description, testFiles: tests.map { URL(fileURLWithPath: $0) },
                    settings: TaskSettings(language: language, solution: solution, module: module))
            } else {
                throw InputError("Give a task directory, or a description with test files.")
            }
            if !holdout.isEmpty {
                task.holdoutTests = try TaskLoader.readFiles(holdout.map(URL.init(fileURLWithPath:)))
            }
            for (name, value) in environment.sorted(by: { $0.key < $1.key }) {
                try TestEnvironment.check(name, origin: "--env")
                task.environment[name] = value
            }
        } catch let error as InputError {
            throw .badInput(error.message)
        } catch {
            throw .badInput(error.localizedDescription)
        }
        if let timeoutSeconds { task.timeoutSeconds = timeoutSeconds }
        return task
    }

    /// A loaded task with the language, solution or module laid over it (its solution path follows them).
    private func relayout(_ task: inout CodingTask, languages: LanguageCatalog) throws {
        let languageChanged = language.map { $0 != task.language } ?? false
        if let language, languageChanged {
            let rules = try languages.require(language, origin: "--language")
            guard task.tests.contains(where: { rules.isSource($0.path) }) else {
                throw InputError(
                    "--language \(language) does not match the task's tests, which are \(task.language) "
                        + "(\(task.tests.map(\.path).prefix(3).joined(separator: ", "))); leave --language out.")
            }
        }
        if let language { task.language = language }
        guard solution != nil || module != nil || languageChanged else { return }
        task.solutionPath = try TaskSettings(solution: solution, module: module)
            .solutionPath(for: try languages.require(task.language))
    }

    enum CodingKeys: String, CodingKey {
        case directory, description, tests, task, language, solution, module, holdout, timeoutSeconds
        case environment = "env"
    }
}
