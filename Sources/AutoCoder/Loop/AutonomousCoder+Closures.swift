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
}
