import AutoCoder
import Foundation

extension GoTestExecutor: CodeRunner {
    /// Builds `code` with `go build` (in the sandbox) and runs the program, bounded like a test run; a compile error
    /// gives exit code 1 and the diagnostics on stderr.
    public func run(
        code: String, fileName: String = "main.go", timeout: Duration? = nil, input: ProgramInput = ProgramInput()
    ) async throws -> CodeRunResult {
        guard let goRoot = await Self.goRoot() else {
            throw ToolMissing("No Go toolchain was found: go is not on PATH (Debian: apt-get install golang-go).")
        }
        return try await ProgramRun.perform(
            settings, code: code, fileName: fileName, timeout: timeout, input: input
        ) { run in
            run.environment = Self.environment(goRoot: goRoot, home: run.workspace.home.path)
            try run.workspace.write([Self.module])
            if let failure = try await run.build(
                goRoot + "/bin/go", ["build", "-o", "program", fileName], readOnly: [goRoot])
            {
                return failure
            }
            run.environment = ChildEnvironment.allowlisted(home: run.workspace.home.path)
            return try await run.program(run.path("program"), [])
        }
    }
}

extension GoTestExecutor {
    /// `sh -c` with `$0` go, `$1` the package pattern, `$2` the names the code may take from the test files (an
    /// alternation). The package is built alone first, every error listed: code that names what only a test file
    /// declares does not build, unless each such name is one of the tests' functions or types (Exercism's
    /// bottle-song gives the code its `Title`), never one of their variables (a table of expected values that code
    /// sharing the package could rewrite). Any other failure ends the run with the build's output, a compile error.
    static let buildAloneThenTest = """
        exec 3<&0 0</dev/null
        if ! built=$("$0" build -gcflags=-e "$1" 2>&1 3<&-); then
          if printf '%s\\n' "$built" | grep -v '^#' | grep -qvE ": undefined: ($2)$"; then
            printf '%s\\n' "$built" >&2
            exit 1
          fi
        fi
        exec "$0" test -json -count=1 "$1"
        """

    /// The top-level functions and types the test files declare, as an alternation for `grep -E` (`-`, which no
    /// name is, for none).
    static func testFunctionsAndTypes(in tests: [CodeFile]) -> String {
        var names: Set<String> = []
        for file in tests where file.path.hasSuffix("_test.go") && !file.isBinary {
            for match in file.content.matches(of: /(?m)^(?:func\s+([A-Za-z_]\w*)\s*[\[(]|type\s+([A-Za-z_]\w*)\b)/) {
                if let name = match.1 ?? match.2 { names.insert(String(name)) }
            }
        }
        return names.isEmpty ? "-" : names.sorted().joined(separator: "|")
    }
}
