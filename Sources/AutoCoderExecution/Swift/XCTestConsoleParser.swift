import AutoCoder
import Foundation

/// Reads XCTest's console output (the only report with failure messages on Linux: its XML drops them and reports
/// skips as passes) into per-test results.
enum XCTestConsoleParser {
    /// The tests the output reports, in order; a test that started and never finished (the process crashed) is an
    /// error.
    static func parse(_ output: String) -> [TestCase] {
        var cases: [TestCase] = []
        var messages: [String: [String]] = [:]
        var started: [String] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if let name = field(line, prefix: "Test Case '", suffix: "' started") {
                started.append(name)
            } else if let (name, verdict) = result(line) {
                started.removeAll { $0 == name }
                let outcome: TestCase.Outcome =
                    switch verdict {
                    case "passed": .passed
                    case "skipped": .skipped
                    default: .failed
                    }
                let notes = messages[name] ?? []
                cases.append(
                    TestCase(
                        name: name.split(separator: ".").last.map(String.init) ?? name,
                        suite: name.split(separator: ".").dropLast().joined(separator: "."),
                        outcome: outcome, message: notes.first,
                        details: notes.isEmpty ? nil : notes.joined(separator: "\n")))
            } else if let (name, message) = issue(line) {
                messages[name, default: []].append(message)
            }
        }
        for name in started {
            cases.append(
                TestCase(
                    name: name.split(separator: ".").last.map(String.init) ?? name,
                    suite: name.split(separator: ".").dropLast().joined(separator: "."), outcome: .error,
                    message: "The test never finished: the test process crashed while running it.",
                    details: messages[name]?.joined(separator: "\n")))
        }
        return cases
    }

    /// `Test Case 'Suite.test' passed (0.001 seconds)` → (`Suite.test`, `passed`).
    private static func result(_ line: String) -> (String, String)? {
        guard line.hasPrefix("Test Case '"), let close = line.range(of: "' ", options: .backwards) else { return nil }
        let name = String(line[line.index(line.startIndex, offsetBy: 11)..<close.lowerBound])
        let verdict = line[close.upperBound...].split(separator: " ").first.map(String.init) ?? ""
        return ["passed", "failed", "skipped"].contains(verdict) ? (name, verdict) : nil
    }

    /// `/path/File.swift:4: error: Suite.test : XCTAssertEqual failed: …` → (`Suite.test`, `XCTAssertEqual failed: …`),
    /// and the same for `… : Test skipped - reason`.
    private static func issue(_ line: String) -> (String, String)? {
        guard line.hasPrefix("/") || line.contains(".swift:") else { return nil }
        let parts = line.components(separatedBy: " : ")
        guard parts.count >= 2 else { return nil }
        let head = parts[0]
        guard let name = head.split(separator: " ").last, name.contains(".") else { return nil }
        return (String(name), parts.dropFirst().joined(separator: " : "))
    }

    private static func field(_ line: String, prefix: String, suffix: String) -> String? {
        guard line.hasPrefix(prefix), let end = line.range(of: suffix) else { return nil }
        return String(line[line.index(line.startIndex, offsetBy: prefix.count)..<end.lowerBound])
    }
}
