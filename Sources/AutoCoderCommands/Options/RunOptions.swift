import ArgumentParser
import AutoCoder

/// What `solve` and `fix` share besides the loop, generator, execution and store options.
struct RunOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "The most attempts, the first one and each fix. (default: 5)")
    var maxIterations: Int?

    @Flag(help: "No progress on stderr.")
    var quiet = false

    @Flag(help: "Do not record this run in the run store.")
    var noStore = false

    func validate() throws {
        if let maxIterations, let problem = IterationLimit.problem(maxIterations, name: "--max-iterations") {
            throw ValidationError(problem)
        }
    }
}
