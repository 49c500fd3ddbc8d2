import AutoCoder
import Foundation

/// Decides a `go test -json` run's result: the cut-short rules; a package that does not build is `error` with the
/// compiler's diagnostics; otherwise each leaf test's last event (`pass`, `fail`, `skip`) is a case, with its own
/// output as the message, under the shared rules. A test that started and never ended (a panic, `os.Exit`) fails
/// with what it printed, and a declared `TestXxx` that never ran makes the run an `error`, never a pass.
struct GoTestVerdict {
    var run: SandboxedRun
    /// The working directory's path, cut from what is fed back.
    var workspace: String
    var timeout: Duration
    /// The `TestXxx` functions the test files declare.
    var declaredTests: Set<String>

    /// One line of `go test -json`.
    struct Event: Decodable {
        var action: String
        var test: String?
        var output: String?

        enum CodingKeys: String, CodingKey {
            case action = "Action"
            case test = "Test"
            case output = "Output"
        }
    }

    var testResult: TestResult {
        let events = run.process.standardOutput.text.split(separator: "\n").compactMap {
            try? JSONDecoder().decode(Event.self, from: Data($0.utf8))
        }
        let stderr = run.process.standardError.text
        let output = SandboxedRun.relative(
            events.compactMap(\.output).joined() + (stderr.isEmpty ? "" : "\n[stderr]\n" + stderr), to: workspace)
        if let cutShort = run.cutShortVerdict(runner: "go test", timeout: timeout, output: output) {
            return cutShort
        }
        var result = TestResult(
            outcome: .error, exitCode: run.process.exitCode, durationMs: run.process.durationMs, output: output)
        if output.contains("[build failed]") || output.contains("[setup failed]") || events.isEmpty {
            let diagnostic = output.split(separator: "\n").first {
                $0.hasPrefix("./") || $0.hasPrefix("vet: ") || $0.contains(".go:") || $0.hasPrefix("go: ")
            }
            result.message =
                "The code does not compile: " + (diagnostic.map(String.init) ?? "go test could not build it.")
            return result
        }
        result.tests = Self.cases(in: events, workspace: workspace)
        let ran = Set(result.tests.map { String($0.name.prefix { $0 != "/" }) })
        if let missing = declaredTests.subtracting(ran).sorted().first {
            result.tests.append(
                TestCase(name: missing, outcome: .error, message: "\(missing) never ran: the test binary ended first."))
        }
        result.applyVerdictRules(exitCode: run.process.shellExitCode, runner: "go test")
        if result.outcome != .passed, let limit = run.limitMessage {
            result.message = SandboxedRun.joined(result.message, limit)
        }
        return result
    }

    /// The leaf tests (a test with subtests is decided by them), each with its last action; a test that ended twice
    /// (a `--- PASS` line printed by the code, then the runner's own) is listed twice, for ``DeclaredTests`` to see.
    static func cases(in events: [Event], workspace: String) -> [TestCase] {
        var order: [String] = []
        var final: [String: String] = [:]
        var ends: [String: Int] = [:]
        var printed: [String: [String]] = [:]
        for event in events {
            guard let name = event.test else { continue }
            if final[name] == nil, !order.contains(name) { order.append(name) }
            switch event.action {
            case "pass", "fail", "skip":
                final[name] = event.action
                ends[name, default: 0] += 1
            case "output":
                if let line = event.output, !Self.isFrame(line) { printed[name, default: []].append(line) }
            default: break
            }
        }
        let leaves = order.filter { name in !order.contains { $0.hasPrefix(name + "/") } }
        let repeated = leaves.filter { ends[$0, default: 0] > 1 }.map {
            TestCase(name: $0, outcome: .error, message: "The test ended more than once.")
        }
        return repeated
            + leaves.map { name in
                let message = SandboxedRun.relative(printed[name, default: []].joined(), to: workspace)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                switch final[name] {
                case "pass": return TestCase(name: name, outcome: .passed)
                case "skip": return TestCase(name: name, outcome: .skipped, message: message.isEmpty ? nil : message)
                case "fail":
                    return TestCase(name: name, outcome: .failed, message: message.isEmpty ? "failed" : message)
                default:
                    return TestCase(
                        name: name, outcome: .error,
                        message: "The test started and never ended (a panic or an exit)."
                            + (message.isEmpty ? "" : "\n" + message))
                }
            }
    }

    /// The runner's own lines about a test (`=== RUN`, `--- FAIL: …`), which are not the test's message.
    static func isFrame(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return ["=== RUN", "=== PAUSE", "=== CONT", "--- PASS", "--- FAIL", "--- SKIP"].contains {
            trimmed.hasPrefix($0)
        }
    }

    /// The top-level `func TestXxx(t *testing.T)` of a test file; none from a file with build constraints
    /// (`//go:build bonus`), which may well not be built.
    static func declaredTests(in file: CodeFile) -> [String] {
        guard file.path.hasSuffix("_test.go"), file.content.firstMatch(of: /(?m)^\/\/(go:build|\s*\+build)\s/) == nil
        else { return [] }
        return file.content.matches(of: /(?m)^func\s+(Test[A-Z0-9_]\w*|Test)\s*\(\s*\w+\s+\*testing\.T\s*\)/).map {
            String($0.1)
        }
    }
}
