import AutoCoder

extension AutonomousCoder {
    /// Solves a Python task given as a description and one test file's code (`test_solution.py`, importing
    /// `solution`): the seed's API.
    public func solve(description: String, testCode: String) async -> RunOutcome {
        let task = CodingTask(
            description: description, tests: [CodeFile(path: "test_solution.py", content: testCode)],
            language: PythonToolchain.name, solutionPath: "solution.py")
        return await solve(task)
    }
}
