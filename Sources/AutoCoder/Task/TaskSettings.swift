import Foundation

/// The settings a task may carry: from its front matter, or from command-line flags.
public struct TaskSettings: Hashable, Sendable {
    public var language: Language?
    /// The solution file's name; the language's extension is added when it has none.
    public var solution: String?
    public var maxIterations: Int?
    public var timeoutSeconds: Double?
    /// The module the solution forms (and the tests import), for a language that builds modules.
    public var module: String?
    /// Variables for the tests only (`env:`).
    public var environment: [String: String] = [:]
    /// The language mode the code builds in, for a language that has modes (`swift_language_mode: 5`).
    public var languageMode: String?

    public init(
        language: Language? = nil, solution: String? = nil, maxIterations: Int? = nil, timeoutSeconds: Double? = nil,
        module: String? = nil
    ) {
        self.language = language
        self.module = module
        self.solution = solution
        self.maxIterations = maxIterations
        self.timeoutSeconds = timeoutSeconds
    }

    /// The keys a task's front matter may set.
    public static let keys = [
        "language", "solution", "max_iterations", "timeout", "module", "env", "swift_language_mode",
    ]

    /// Settings read from YAML front matter.
    /// - Throws: ``InputError`` for malformed YAML, an unknown key, or a value of the wrong kind.
    init(frontMatter yaml: String?, file: String) throws {
        self.init()
        guard let yaml, !yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
        let loaded = try YAMLText.load(yaml, context: "\(file): the front matter is not valid YAML")
        guard let map = loaded as? [String: Any] else {
            throw InputError("\(file): the front matter must be a map of settings such as 'language: python'.")
        }
        for (key, value) in map {
            switch key {
            case "language":
                guard let name = value as? String else {
                    throw InputError("\(file): language must be a name such as 'python' (it is '\(value)').")
                }
                self.language = Language(name)
            case "solution":
                guard let name = value as? String else {
                    throw InputError("\(file): solution must be a file name such as 'solution.py'.")
                }
                self.solution = name
            case "max_iterations":
                guard let count = value as? Int else {
                    throw InputError("\(file): max_iterations must be a whole number (it is '\(value)').")
                }
                if let problem = IterationLimit.problem(count, name: "max_iterations") {
                    throw InputError("\(file): \(problem)")
                }
                self.maxIterations = count
            case "timeout":
                let seconds = (value as? Double) ?? (value as? Int).map(Double.init)
                guard let seconds, seconds > 0 else {
                    throw InputError("\(file): timeout must be a number of seconds above 0 (it is '\(value)').")
                }
                self.timeoutSeconds = seconds
            case "module":
                guard let name = value as? String, Self.isIdentifier(name) else {
                    throw InputError("\(file): module must be an identifier such as 'Solution' (it is '\(value)').")
                }
                self.module = name
            case "env":
                guard let variables = value as? [String: Any] else {
                    throw InputError("\(file): env must be a map of variables such as 'env: {RUN_SLOW: \"1\"}'.")
                }
                for (name, value) in variables {
                    try TestEnvironment.check(name, origin: "\(file): env")
                    guard value is String || value is Int || value is Double || value is Bool else {
                        throw InputError("\(file): env: \(name) must be a plain value (it is '\(value)').")
                    }
                    environment[name] = "\(value)"
                }
            case "swift_language_mode":
                let mode = (value as? Int).map(String.init) ?? value as? String
                guard let mode, ["5", "6"].contains(mode) else {
                    throw InputError("\(file): swift_language_mode must be 5 or 6 (it is '\(value)').")
                }
                languageMode = mode
            default:
                throw InputError(
                    "\(file): unknown front matter key '\(key)'; the known keys are \(Self.keys.joined(separator: ", "))."
                )
            }
        }
    }

    /// The solution file's path as `rules` lay it out.
    public func solutionPath(for rules: any LanguageRules) throws -> String {
        try rules.solutionPath(for: self)
    }

    /// `solution` as a relative path, with `fileExtension` added when it has no extension, or `defaultPath`.
    /// - Throws: ``InputError`` when it is absolute or climbs out of the workspace.
    public func relativeSolution(default defaultPath: String, fileExtension: String) throws -> String {
        guard var name = solution else { return defaultPath }
        name = name.trimmingCharacters(in: .whitespaces)
        if !name.contains(".") { name += "." + fileExtension }
        guard AttemptCheck.isSafeRelativePath(name) else {
            throw InputError("The solution name '\(name)' must be a relative file name such as '\(defaultPath)'.")
        }
        return name
    }

    /// Whether `name` can name a module: letters, digits and `_`, not starting with a digit.
    public static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && name.allSatisfy(\.isASCII)
    }
}
