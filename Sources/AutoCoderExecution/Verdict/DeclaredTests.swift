import AutoCoder
import Foundation

/// The tests that a compiled language's test files declare (`func TestAdd`, `#[test] fn add`, `TEST_CASE("add")`,
/// `@Test void add`, `func testAdd`): the ground truth that a report is held to (docs/INTEGRITY.md, "Compiled
/// languages"). Under it:
/// - a result for a test nobody declared, or a second result for one test, is `tampered` (a line printed by the
///   code, taken for the runner's);
/// - a declared test with no result is an `error` (the process ended before the framework ran it).
struct DeclaredTests: Sendable {
    /// The declared names, as the report names them at their root.
    var names: Set<String>
    /// The declared name that a reported name belongs to (`TestAdd/case_1` → `TestAdd`, `tests::add` → `add`),
    /// `nil` for a name no test file declares.
    var owner: @Sendable (String) -> String?

    /// Names matched whole, or up to a `/` (a subtest or a section).
    init(_ names: Set<String>) {
        self.names = names
        owner = { reported in
            if names.contains(reported) { return reported }
            let root = String(reported.prefix { $0 != "/" })
            return names.contains(root) ? root : nil
        }
    }

    init(_ names: Set<String>, owner: @escaping @Sendable (String) -> String?) {
        self.names = names
        self.owner = owner
    }

    /// `result` held to the declared tests; unchanged when the files declare none that autocoder recognises, or
    /// when the run never got to its tests.
    func checked(_ result: TestResult, mode: IntegrityMode) -> TestResult {
        guard [.passed, .failed, .noTests].contains(result.outcome) else { return result }
        var seen: Set<String> = []
        for test in result.tests where !seen.insert((test.suite ?? "") + "\u{0}" + test.name).inserted {
            return VerdictSeal.tampered(
                result, mode: mode, rule: "duplicate-result",
                "the report has two results for \(test.name); the runner gives one per test")
        }
        guard !names.isEmpty else { return result }
        var owners: Set<String> = []
        for test in result.tests {
            guard let owner = owner(test.name) else {
                return VerdictSeal.tampered(
                    result, mode: mode, rule: "undeclared-result",
                    "the report has a result for \(test.name), which no test file declares")
            }
            owners.insert(owner)
        }
        let missing = names.subtracting(owners).sorted()
        guard !missing.isEmpty else { return result }
        var result = result
        result.tests += missing.map {
            TestCase(name: $0, outcome: .error, message: "\($0) is declared by the tests and has no result.")
        }
        if result.outcome != .failed {
            result.outcome = .error
            result.message =
                "\(missing.count) declared test(s) have no result (\(missing.prefix(3).joined(separator: ", "))): the "
                + "test program ended before its framework ran them; this is never a pass."
        }
        return result
    }
}
