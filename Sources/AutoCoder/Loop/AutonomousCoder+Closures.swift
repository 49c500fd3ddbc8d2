extension AutonomousCoder {
    /// A coder whose generator is two closures returning the solution's code (the seed's API).
    public init(
        generate: @escaping ClosureGenerator.Generate,
        fix: @escaping ClosureGenerator.Fix,
        executor: any CodeExecutor,
        maxIterations: Int = 5
    ) {
        self.init(
            generator: ClosureGenerator(generate: generate, fix: fix),
            executor: executor,
            maxIterations: maxIterations)
    }

    /// Solves a Python task given as a description and one test file's code (`test_solution.py`, importing `solution`).
    public func solve(description: String, testCode: String) async -> RunOutcome {
        let task = CodingTask(
            description: description,
            tests: [CodeFile(path: "test_solution.py", content: testCode)])
        return await solve(task)
    }
}
