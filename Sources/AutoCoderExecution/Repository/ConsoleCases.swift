import AutoCoder
import Foundation

/// The single tests a runner printed on its console, for a repository's command that wrote no report:
/// - libtest's `test NAME ... ok` (`cargo test`) and `go test -v`'s `--- PASS: TestName`;
/// - TAP: node's `ok 1 - name` (`npm test` over `node --test`), mocha's and tape's `ok 1 name`;
/// - `swift test`'s two: XCTest's `Test Case 'Suite.name' passed (…)`, Swift Testing's `✔ Test name() passed after …`;
/// - GoogleTest's `[       OK ] Suite.Name (0 ms)` and ctest's own line per test program;
/// - TestNG's `PASSED: name`, and the JUnit Platform console's tree.
/// The command's exit code still decides the outcome; these name the tests that passed and failed, as a report
/// would. Lines the output cap cut from the middle are not among them.
enum ConsoleCases {
    static func read(_ output: String) -> [TestCase] {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        var cases: [TestCase] = []
        for (index, line) in lines.enumerated() {
            if let match = line.wholeMatch(of: /test (.+) \.\.\. (ok|FAILED|ignored)(?:, .*)?/) {
                cases.append(TestCase(name: String(match.1), outcome: outcome(of: match.2)))
            } else if let match = line.wholeMatch(of: /\s*--- (PASS|FAIL|SKIP): (\S+) \(.*\)/) {
                cases.append(TestCase(name: String(match.2), outcome: outcome(of: match.1)))
            } else if let match = line.wholeMatch(
                of: /Test Case '(?:-\[)?([^' ]+)[ .]([^' .\]]+)\]?' (passed|failed|skipped) \(.*\)\.?/)
            {
                cases.append(TestCase(name: String(match.2), suite: String(match.1), outcome: outcome(of: match.3)))
            } else if let match = line.wholeMatch(
                of:
                    /(?:[✔✘]|➜) Test ("[^"]*"|\S+\)) (?:with \d+ test cases? )?(passed|failed|skipped)(?: after |:|\.).*/
            ) {
                // A test is a function, `name(…)`, or its quoted display name: a suite or the run's line is neither.
                let name = match.1.hasPrefix("\"") ? match.1.dropFirst().dropLast() : match.1
                cases.append(TestCase(name: String(name), outcome: outcome(of: match.2)))
            } else if let match = line.wholeMatch(
                of: /(?:\d+: )?\[\s+(OK|FAILED|SKIPPED)\s+\] ([^\s.]+)\.(\S+?)(?:, where .*)? \(\d+ ms\)/)
            {
                // GoogleTest's, also through `ctest -V`, which puts the test program's number first.
                cases.append(TestCase(name: String(match.3), suite: String(match.2), outcome: outcome(of: match.1)))
            } else if let match = line.wholeMatch(
                of: /\s*\d+\/\d+ Test\s+#\d+: (\S+) \.*\s*(Passed|\*\*\*\w+(?: Run)?).*/)
            {
                // ctest's line per test program.
                cases.append(TestCase(name: String(match.1), outcome: outcome(of: match.2)))
            } else if let match = line.wholeMatch(of: /(PASSED|FAILED|SKIPPED): (\S.*)/) {
                // TestNG's, with `-verbose 2`.
                cases.append(TestCase(name: String(match.2), outcome: outcome(of: match.1)))
            } else if let match = line.wholeMatch(of: /([│ ]*)[├└]─ (.+) (✔|✘|↷)(?: .*)?/),
                !isTreeContainer(lines[(index + 1)...], column: match.1.count)
            {
                // The JUnit Platform console's tree (`--details=tree`): its leaves, not the classes holding them.
                cases.append(TestCase(name: String(match.2), outcome: outcome(of: match.3)))
            } else if let match = line.wholeMatch(of: /(\s*)(ok|not ok) \d+(?: -)? (.+?)(?: # (SKIP|TODO)\b.*)?/),
                !isTAPSuite(lines[(index + 1)...], indent: match.1.count)
            {
                let skipped = match.4 != nil
                cases.append(TestCase(name: String(match.3), outcome: skipped ? .skipped : outcome(of: match.2)))
            }
        }
        return cases
    }

    private static func outcome(of word: Substring) -> TestCase.Outcome {
        switch word {
        case "ok", "PASS", "passed", "OK", "Passed", "PASSED", "✔": .passed
        case "ignored", "SKIP", "skipped", "SKIPPED", "***Skipped", "***Not Run", "↷": .skipped
        default: .failed
        }
    }

    /// Whether the tree line before `rest` holds others: the next line of the tree is further in.
    private static func isTreeContainer(_ rest: ArraySlice<Substring>, column: Int) -> Bool {
        for line in rest {
            guard let marker = line.firstMatch(of: #/^([│ ]*)[├└]─ /#) else { continue }
            return marker.1.count > column
        }
        return false
    }

    /// Whether the TAP line before `rest` closes a suite (a `describe`), whose tests have lines of their own: its
    /// YAML block (`---` to `...`, indented two more) says `type: 'suite'`.
    private static func isTAPSuite(_ rest: ArraySlice<Substring>, indent: Int) -> Bool {
        let inner = String(repeating: " ", count: indent + 2)
        guard rest.first == Substring(inner + "---") else { return false }
        for line in rest.dropFirst() {
            if line == Substring(inner + "...") { return false }
            if line == Substring(inner + "type: 'suite'") { return true }
        }
        return false
    }
}
