/// Checks an attempt before it reaches the executor: a generator may not write outside the workspace,
/// touch the tests, or hand in nothing.
public enum AttemptCheck {
    /// Why `attempt` must not be tested, or `nil` when it may be.
    public static func problem(with attempt: Attempt, for task: CodingTask) -> String? {
        if let problem = attempt.problem { return problem }
        if attempt.files.isEmpty {
            let tag = task.language.rawValue
            return "The reply contained no code: no fenced code block for `\(task.solutionPath)` was found. Answer "
                + "with the complete file in one ```\(tag) block."
        }
        let testPaths = Set(task.tests.map { normalized($0.path) })
        for file in attempt.files {
            if !isSafeRelativePath(file.path) {
                return "The file path '\(file.path)' is not allowed: use a relative path inside the workspace."
            }
            if testPaths.contains(normalized(file.path)) || task.repository?.isProtected(normalized(file.path)) == true
            {
                return "The reply tried to write the test file '\(file.path)'. The tests are fixed and read-only: "
                    + "change the solution, not the tests."
            }
        }
        return nil
    }

    /// Whether `path` is relative, non-empty, and never climbs out of its root.
    public static func isSafeRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.hasPrefix("~") else { return false }
        guard !path.contains("\0"), !path.contains("\\") else { return false }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return !parts.isEmpty && !parts.contains("..")
    }

    /// A test result standing for an attempt that was rejected before it ran.
    public static func rejectedResult(_ problem: String) -> TestResult {
        TestResult(outcome: .error, message: problem)
    }

    private static func normalized(_ path: String) -> String {
        path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }
}
