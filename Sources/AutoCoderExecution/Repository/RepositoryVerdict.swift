import AutoCoder
import Foundation

/// Decides the result of a repository's own test command: from a JUnit report where the toolchain asked the
/// runner for one, else from the exit code and the runner's summary line. A runner asked for a report that wrote
/// none and failed never got to its tests (a conftest or plugin that cannot import, a bad option or config, an
/// internal error): that is the test command's start-up failure, an `error` with the runner's own error line, never
/// the code's to fix.
struct RepositoryVerdict {
    var run: SandboxedRun
    /// The runner's JUnit reports; none when it wrote none.
    var reports: [Data]
    var timeout: Duration
    /// Whether the command was asked to write a report (the toolchain knows how for its runner).
    var reportRequested = false
    /// The tree's directory in the run, left out of the messages (they name files relative to the tree).
    var directory: String?
    /// The command's first word: the program it starts.
    var program: String?

    /// The program the shell could not find (`sh: 1: jest: not found`), if it says so.
    static func missingTool(in output: String) -> String? {
        output.split(separator: "\n").lazy.compactMap { $0.firstMatch(of: /^sh: \d+: (\S+): not found$/) }
            .first.map { String($0.1) }
    }

    var testResult: TestResult {
        let process = run.process
        let output = run.combinedOutput
        if let cutShort = run.cutShortVerdict(runner: "the test command", timeout: timeout, output: output) {
            return cutShort
        }
        let code = process.shellExitCode
        var result = TestResult(
            outcome: .error, exitCode: process.exitCode, durationMs: process.durationMs, output: output)
        // Reports that hold no test say nothing (a runner may write an empty one for a library it did not use).
        let parsed = reports.map { try? JUnitParser().parse($0) }
        if !parsed.isEmpty, !parsed.contains(where: { $0 == nil }), parsed.contains(where: { $0?.isEmpty == false }) {
            result.tests = parsed.flatMap { $0 ?? [] }
            result.applyVerdictRules(exitCode: code, runner: "the test command")
        } else if !parsed.isEmpty, parsed.allSatisfy({ $0?.isEmpty == true }), code != 0 {
            result.outcome = .noTests
            result.message = "The test command ran no test (exit \(code))."
        } else if code == 127, let tool = Self.missingTool(in: output), tool != program {
            // The command started, and a tool its script runs is not installed (`jest` with no node_modules).
            result.outcome = .error
            result.message = "The test command failed before running any test (exit 127): \(tool) is not installed."
        } else if code == 127 {
            result.outcome = .infrastructureError
            result.message = "The test command was not found (exit 127)."
        } else if code != 0, reports.isEmpty, let line = StartupFailure.line(in: output) {
            // A runner that could not get its project ready (a dependency missing or out of reach, a tool the
            // script names not installed) never reached a test: not the code's to fix.
            result.outcome = .error
            result.message = "The test command failed before running any test (exit \(code)): \(line)"
        } else if reportRequested, reports.isEmpty, code != 0 {
            result.outcome = .error
            result.message =
                "The test command failed before running any test (exit \(code))"
                + (Self.startupError(in: output).map { line in
                    ": " + (directory.map { line.replacingOccurrences(of: $0 + "/", with: "") } ?? line)
                } ?? ".")
        } else if code == 0 {
            result.outcome = .passed
            result.message = TestSummary.line(in: output).map { "The test command passed: \($0)" }
            result.tests = ConsoleCases.read(output)
        } else {
            result.outcome = .failed
            result.message =
                "The test command exited with code \(code)"
                + (TestSummary.line(in: output).map { ": \($0)" } ?? ".")
            result.tests = ConsoleCases.read(output)
        }
        if result.outcome != .passed, let limit = run.limitMessage {
            result.message = SandboxedRun.joined(result.message, limit)
        }
        return result
    }

    /// The runner's own account of why it could not start: its first line that names an error, and the last
    /// exception line (`ModuleNotFoundError: No module named 'x'`) when that says more.
    static func startupError(in output: String) -> String? {
        let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let errors = lines.filter { $0.range(of: "error", options: .caseInsensitive) != nil }
        // argparse's usage line comes before the line that says what was wrong.
        guard let first = errors.first(where: { !$0.contains("usage:") }) ?? errors.first else {
            return lines.last { !$0.isEmpty }.map { String($0.prefix(300)) }
        }
        let exception = lines.last { $0.firstMatch(of: /^(?:E\s+)?\w*(?:Error|Exception): \S/) != nil }
        let detail = exception.map {
            $0.hasPrefix("E ") ? String($0.dropFirst(1)).trimmingCharacters(in: .whitespaces) : $0
        }
        guard let detail, detail != first, !first.contains(detail) else { return String(first.prefix(300)) }
        return String((first + " — " + detail).prefix(400))
    }
}

/// The summary line test runners print (pytest, unittest, XCTest, go, cargo, jest, node's TAP), for a result with
/// no report.
enum TestSummary {
    static let patterns = [
        #"=+ .*\b(passed|failed|error)\b.* =+"#, #"^(Ran \d+ tests? in .*)$"#, #"^(FAILED \(.*\)|OK)$"#,
        #"Executed \d+ tests?, with \d+ failures?"#, #"^test result: .*"#, #"^Tests: .*"#, #"^(ok|FAIL)[ \t]+\S+"#,
        #"^# fail \d+$"#,
    ]

    /// The last summary line of `output`, trimmed.
    static func line(in output: String) -> String? {
        let regexes = patterns.compactMap { try? Regex("(?m)" + $0) }
        var found: (String.Index, String)?
        for regex in regexes {
            for match in output.matches(of: regex) where found.map({ match.range.lowerBound > $0.0 }) ?? true {
                found = (match.range.lowerBound, String(output[match.range]))
            }
        }
        return found.map { $0.1.trimmingCharacters(in: CharacterSet(charactersIn: "= ").union(.whitespaces)) }
    }
}

/// The lines with which runners say they could not get a project ready, before any test: a dependency that is
/// missing or out of the sandbox's reach (go modules, crates, Swift packages), an npm script or tool that is not
/// there. Only for a run that failed and reported no test.
enum StartupFailure {
    static let patterns = [
        // go
        #"missing go\.sum entry"#, #"no required module provides package"#, #"cannot find module providing package"#,
        #"go: errors parsing go\.mod"#, #"go: updates to go\.mod needed"#,
        // cargo
        #"failed to get `[^`]+` as a dependency"#, #"no matching package named"#,
        #"failed to load source for dependency"#,
        #"failed to select a version for"#, #"could not find `Cargo\.toml`"#,
        // npm and node
        #"npm (ERR!|error) [Mm]issing script"#, #"Cannot find module '[^./][^']*'"#,
        // SwiftPM
        #"error: Dependencies could not be resolved"#, #"error: [Ff]ailed to clone"#, #"error: Couldn't fetch"#,
    ]

    /// The first line of `output` that says so, trimmed (with the line after it when it ends with a colon: go's
    /// "to add:" and its `go get`), or `nil`.
    static func line(in output: String) -> String? {
        let regexes = patterns.compactMap { try? Regex($0) }
        let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let index = lines.firstIndex(where: { line in regexes.contains { line.contains($0) } }) else {
            return nil
        }
        var line = lines[index]
        if line.hasSuffix(":"), index + 1 < lines.count { line += " " + lines[index + 1] }
        return String(line.prefix(300))
    }
}
