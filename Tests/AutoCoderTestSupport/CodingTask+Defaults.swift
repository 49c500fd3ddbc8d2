import AutoCoder

extension Language {
    /// The languages the tests use, by name (the toolchains' registry knows what they mean).
    public static let python: Language = "python"
    public static let swift: Language = "swift"
}

extension CodingTask {
    /// A task with the defaults of the tests: Python, `solution.py` (or Swift's `Sources/Solution/Solution.swift`).
    public init(
        description: String,
        tests: [CodeFile],
        language: Language = .python,
        solutionPath: String? = nil,
        starterFiles: [CodeFile] = [],
        maxIterations: Int? = nil,
        timeoutSeconds: Double? = nil,
        holdoutTests: [CodeFile] = [],
        environment: [String: String] = [:],
        languageMode: String? = nil
    ) {
        self.init(
            description: description, tests: tests, language: language,
            solutionPath: solutionPath ?? (language == .swift ? "Sources/Solution/Solution.swift" : "solution.py"),
            starterFiles: starterFiles, maxIterations: maxIterations, timeoutSeconds: timeoutSeconds,
            holdoutTests: holdoutTests, environment: environment, languageMode: languageMode)
    }
}
