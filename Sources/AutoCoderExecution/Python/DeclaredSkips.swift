import AutoCoder
import Foundation

/// A skipped test counts only where its test file declares skipping (a marker, `skipif`, `pytest.skip`,
/// `unittest.skip`, `skipTest`, `importorskip`, `xfail`): any other skip was raised by something else, such as the
/// code under test dressing a failure up as a skip, and a run with one is `tampered`, never `passed`.
enum DeclaredSkips {
    /// `result` made `tampered` when a test was skipped in a file that declares no skipping.
    static func check(_ result: TestResult, tests: [CodeFile]) -> TestResult {
        let skipped = result.tests.filter { $0.outcome == .skipped }
        guard !skipped.isEmpty else { return result }
        let declaring = tests.filter { $0.path.hasSuffix(".py") && declaresSkips($0.content) }.map(\.path)
        // A conftest.py (read in a bridged run) declares for the test files in its folder and below.
        let declaringFolders = declaring.filter(PytestExecutor.isConftest).map {
            String($0.dropLast("conftest.py".count))
        }
        let undeclared = skipped.filter { test in
            guard let file = testFile(of: test, among: tests.map(\.path)) else { return declaring.isEmpty }
            return !declaring.contains(file) && !declaringFolders.contains { file.hasPrefix($0) }
        }
        guard let first = undeclared.first else { return result }
        return result.tampered(by: [
            IntegrityFinding(
                rule: "undeclared-skip", file: testFile(of: first, among: tests.map(\.path)),
                message: "\(first.name) was skipped, but its test file declares no skip", proven: true)
        ])
    }

    static func declaresSkips(_ source: String) -> Bool {
        source.contains("skip") || source.contains("xfail") || source.contains("SkipTest")
    }

    /// The test file a JUnit case came from: its suite (`test_x` or `pkg.test_x.TestClass`) read as a module path.
    static func testFile(of test: TestCase, among paths: [String]) -> String? {
        guard let suite = test.suite else { return nil }
        return paths.first { path in
            let module = String(path.dropLast(3)).replacingOccurrences(of: "/", with: ".")
            return suite == module || suite.hasPrefix(module + ".")
        }
    }
}
