import AutoCoder
import Foundation

extension PythonToolchain {
    /// A test file that does not parse (the tests are read-only), or a third-party module that is not installed.
    /// A test that cannot import a name the code has yet to define (tests written first) is the code's to fix.
    public func unfixable(_ baseline: TestResult, projectAt root: URL) -> String? {
        let loadErrors = baseline.tests.filter { $0.suite == nil && $0.outcome == .error }
        for test in loadErrors {
            let text = (test.message ?? "") + "\n" + (test.details ?? "")
            if let line = text.split(separator: "\n").first(where: {
                $0.contains("SyntaxError") || $0.contains("IndentationError")
            }) {
                return
                    "\(test.name) does not parse (\(line.trimmingCharacters(in: .whitespaces))); the tests are read-only."
            }
            if let match = text.firstMatch(of: /No module named '([A-Za-z0-9_]+)/) {
                let module = String(match.1)
                let inRepository = ["\(module).py", module].contains {
                    FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path)
                }
                if !inRepository {
                    return "the module '\(module)' is not installed (\(test.name)); install the project's dependencies."
                }
            }
        }
        return nil
    }
}
