import AutoCoder
import Foundation

/// Decides a `cargo test` run's result from its output: a build that fails is `error` with the compiler's
/// diagnostics; otherwise each libtest line (`test NAME ... ok|FAILED|ignored`) is a case, with the panic message
/// of its failure section, under the shared rules.
struct CargoTestVerdict {
    var run: SandboxedRun
    /// The working directory's path, cut from what is fed back.
    var workspace: String
    var timeout: Duration

    var testResult: TestResult {
        let output = run.combinedOutput(relativeTo: workspace)
        if let cutShort = run.cutShortVerdict(runner: "cargo test", timeout: timeout, output: output) {
            return cutShort
        }
        var result = TestResult(
            outcome: .error, exitCode: run.process.exitCode, durationMs: run.process.durationMs, output: output)
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        result.tests = Self.cases(in: lines)
        // A dependency that is not on this machine: nothing is fetched, so the task cannot run here.
        if let missing = output.firstMatch(of: /no matching package named `([^`]+)` found/) {
            result.message =
                "The crate needs `\(missing.1)`, which this machine does not have: crates.io is never reached (cargo "
                + "runs --offline), so only the standard library and the crates installed as Debian packages "
                + "(librust-*-dev, in /usr/share/cargo/registry) are available."
            return result
        }
        if let version = output.firstMatch(
            of:
                /failed to select a version for the requirement `([^`]+)`\s*\ncandidate versions found which didn't match: ([^\n]+)/
        ) {
            result.message =
                "The crate needs \(version.1), which this machine does not have (it has \(version.2)); crates.io is "
                + "never reached."
            return result
        }
        if lines.contains(where: { $0.hasPrefix("error: could not compile") }),
            let error = lines.first(where: { $0.hasPrefix("error[") || $0.hasPrefix("error:") })
        {
            result.message = "The code does not compile: \(error)"
            if let crate = output.firstMatch(of: /can't find crate for `([^`]+)`|unresolved import `([^`:]+)`/),
                let name = crate.1 ?? crate.2, !["crate", "self", "super", "std", "core", "alloc"].contains(name)
            {
                result.message! +=
                    " (if `\(name)` is a crate: only those the manifest names and this machine has can be used; "
                    + "crates.io is never reached)"
            }
            return result
        }
        // A test binary killed by a signal: cargo says so on a line of its own.
        if let line = lines.first(where: { $0.contains("process didn't exit successfully") }),
            let signal = line.firstMatch(of: /\(signal: \d+, (SIG\w+)[^)]*\)/)
        {
            // The CPU-time limit (the timeout plus 2 s) kills a binary whose tests spin on several threads before the
            // wall clock runs out: SIGXCPU, or SIGKILL at the hard limit.
            let cpuLimit = signal.1 == "SIGXCPU" || (signal.1 == "SIGKILL" && !run.outOfMemory)
            result.outcome = cpuLimit ? .timeout : .crashed
            result.message =
                cpuLimit
                ? "The test binary was killed by \(signal.1) at the CPU-time limit that the timeout sets (or killed "
                    + "itself); it did not finish."
                : "The test binary was killed by \(signal.1)."
            return result
        }
        result.applyVerdictRules(exitCode: run.process.shellExitCode, runner: "cargo test")
        if result.outcome != .passed, let limit = run.limitMessage {
            result.message = SandboxedRun.joined(result.message, limit)
        }
        return result
    }

    /// libtest's result lines, with each failure's message (the lines after `panicked at`, up to a blank line).
    static func cases(in lines: [String]) -> [TestCase] {
        var failures: [String: String] = [:]
        var current: String?
        var message: [String] = []
        for line in lines {
            if line.hasPrefix("---- "), line.hasSuffix(" stdout ----") {
                if let current { failures[current] = message.joined(separator: "\n") }
                current = String(line.dropFirst(5).dropLast(12))
                message = []
            } else if current != nil {
                if line.isEmpty, message.isEmpty { continue }
                if line.isEmpty || line.hasPrefix("note: ") || line.hasPrefix("stack backtrace:") {
                    if let name = current { failures[name] = message.joined(separator: "\n") }
                    current = nil
                } else if !line.contains("panicked at") {
                    message.append(line.trimmingCharacters(in: .whitespaces))
                }
            }
        }
        if let current { failures[current] = message.joined(separator: "\n") }
        return lines.compactMap { line in
            guard let match = line.firstMatch(of: /^test (\S+) \.\.\. (ok|FAILED|ignored)/) else { return nil }
            let name = String(match.1)
            switch match.2 {
            case "ok": return TestCase(name: name, outcome: .passed)
            case "ignored": return TestCase(name: name, outcome: .skipped)
            default: return TestCase(name: name, outcome: .failed, message: failures[name] ?? "failed")
            }
        }
    }
}
