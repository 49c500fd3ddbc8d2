import AutoCoder
import Foundation

/// The integrity check of one pytest run (`pytest_integrity.py` in the test process; README, "Integrity").
///
/// Before the run it writes a control file with a new random token into the report directory; the test process
/// reads and deletes it before any workspace file is imported. After the run, ``judge(_:)`` accepts the verdict
/// only with a record that holds the token, names no forgery, and lists as passed exactly the tests the JUnit
/// report lists as passed.
struct PytestIntegrity {
    var mode: IntegrityMode
    var token: String
    var control: URL
    var record: URL

    /// The resource that the test process runs (cold) or imports (warm).
    static var script: URL? {
        InstalledResources.url("autocoder_AutoCoderExecution", "pytest_integrity", "py", fallback: { Bundle.module })
    }

    /// The name of the staged copy of ``SystemCallFilter``'s bytes.
    static let filterName = "seccomp.bpf"

    /// The scripts a cold run starts with (the check and the seccomp filter).
    static let scripts = ["pytest_integrity", "integrity_scan", "integrity_guards", "seccomp_filter", "landlock_rules"]

    /// Copies the cold run's scripts into the run's own directory and returns the program's path. A copy, not
    /// the resource itself: the sandbox may hide where autocoder was built (a checkout under `/tmp`, behind the
    /// sandbox's private `/tmp`), and it shows the workspace in every sandbox. The copies are read when the
    /// interpreter starts, before any code under test runs.
    static func stageScripts(in workspace: Workspace) throws -> URL {
        guard let script else { throw CocoaError(.fileNoSuchFile) }
        let resources = script.deletingLastPathComponent()
        let directory = workspace.root.appendingPathComponent("scripts", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for name in scripts {
            try FileManager.default.copyItem(
                at: resources.appendingPathComponent(name + ".py"), to: directory.appendingPathComponent(name + ".py"))
        }
        // The filter's bytes beside them, readable where the test process is (it installs them itself when no
        // bubblewrap does it first).
        if let filter = SystemCallFilter.file() {
            let copy = directory.appendingPathComponent(filterName)
            try FileManager.default.copyItem(atPath: filter, toPath: copy.path)
            chmod(copy.path, 0o644)
        }
        return directory.appendingPathComponent("pytest_integrity.py")
    }

    /// Writes the control file for a run of `tests` (paths in the workspace), which import the standard modules
    /// `modules` when known (else the check reads them from the files); `nil` when the mode is `off`.
    static func prepare(
        _ mode: IntegrityMode, in workspace: Workspace, tests: [String], modules: [String]?
    ) throws -> PytestIntegrity? {
        guard mode != .off else { return nil }
        var generator = SystemRandomNumberGenerator()
        let token = (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.joined()
        let control = workspace.reportDirectory.appendingPathComponent("integrity-control.json")
        let record = workspace.reportDirectory.appendingPathComponent("integrity.json")
        var body: [String: Any] = ["token": token, "mode": mode.rawValue, "tests": tests, "record": record.path]
        if let modules { body["modules"] = modules }
        try JSONSerialization.data(withJSONObject: body).write(to: control)
        return PytestIntegrity(mode: mode, token: token, control: control, record: record)
    }

    /// pytest options the check needs: the pass hook, through which each passing `==` assertion is checked.
    static let pytestOptions = ["-o", "enable_assertion_pass_hook=true"]

    /// What the test process wrote (read with `JSONSerialization`, the cheaper reader on Linux).
    private struct Record {
        struct Passed: Hashable {
            var suite: String
            var name: String
        }
        var token: String
        var status: String
        var findings: [IntegrityFinding]
        var violations: [IntegrityFinding]
        /// `nil` for a bridged run, whose test process never ran the code and keeps no list of its own.
        var passed: [Passed]?

        init?(_ data: Data) {
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let token = object["token"] as? String, let status = object["status"] as? String,
                object["passed"] is NSNull || object["passed"] is [[String: Any]]
            else { return nil }
            (self.token, self.status) = (token, status)
            self.passed = (object["passed"] as? [[String: Any]])?.compactMap { entry in
                guard let suite = entry["suite"] as? String, let name = entry["name"] as? String else { return nil }
                return Passed(suite: suite, name: name)
            }
            findings = Self.findings(object["findings"])
            violations = Self.findings(object["violations"])
        }

        private static func findings(_ value: Any?) -> [IntegrityFinding] {
            (value as? [[String: Any]] ?? []).compactMap { entry in
                guard let rule = entry["rule"] as? String, let message = entry["message"] as? String else { return nil }
                return IntegrityFinding(
                    rule: rule, file: entry["file"] as? String, line: entry["line"] as? Int,
                    excerpt: entry["excerpt"] as? String, message: message, proven: entry["proven"] as? Bool ?? true)
            }
        }
    }

    /// `result` (pytest's verdict) checked against the record: `tampered` when a forgery was seen, when the
    /// strict scan refused the code, or when a report exists that the record does not vouch for.
    func judge(_ result: TestResult, record: Data?) -> TestResult {
        var result = result
        let record = record.flatMap(Record.init)
        guard let record, record.token == token else {
            result.integrity = IntegrityReport(mode: mode)
            if [.passed, .failed, .noTests].contains(result.outcome) {
                let finding = IntegrityFinding(
                    rule: "missing-record",
                    message: "the test process ended without autocoder's integrity record, so its report was "
                        + "not written by the tests it names", proven: true)
                result.integrity?.findings = [finding]
                result.outcome = .tampered
                result.message = result.integrity?.feedback
            }
            return result
        }
        var findings = record.violations + record.findings
        if record.status == "refused" {
            result = TestResult(
                outcome: .tampered, exitCode: result.exitCode, durationMs: result.durationMs, output: result.output)
        } else if [.passed, .failed].contains(result.outcome), let passed = record.passed {
            let reported = Set(
                result.tests.filter { $0.outcome == .passed }.map {
                    Record.Passed(suite: $0.suite ?? "", name: $0.name)
                })
            if reported != Set(passed) {
                findings.insert(
                    IntegrityFinding(
                        rule: "forged-report",
                        message: "the JUnit report lists \(reported.count) passing tests, but \(passed.count) "
                            + "passed in the test process", proven: true), at: 0)
            }
        }
        let report = IntegrityReport(mode: mode, findings: findings)
        result.integrity = report
        if report.condemns {
            result.outcome = .tampered
            result.message = record.status == "refused" ? report.refusalFeedback : report.feedback
        }
        return result
    }
}
