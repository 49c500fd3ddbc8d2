import AutoCoder
import Foundation

/// Whether a Python run's verdict is computed out of process, through the verdict bridge (`verdict_bridge.py`):
/// pytest and the tests in one sandboxed process, the code in another that sees neither, calls crossing by value.
///
/// The choice is made from the tests and the settings only, never from the code: code that could make its run
/// fall back to the in-process mode would choose the weaker guard for itself.
enum PythonVerdictBridge {
    /// How one run goes.
    enum Choice: Hashable {
        /// Bridged: the code's top-level modules, which the tests import through the bridge.
        case bridge(modules: [String])
        /// In the tests' process, and why.
        case inProcess(reason: String)

        var isBridged: Bool { modules != nil }

        /// The modules to bridge, for a bridged run.
        var modules: [String]? {
            if case .bridge(let modules) = self { return modules }
            return nil
        }

        /// Why the run is in-process, for one that is.
        var reason: String? {
            if case .inProcess(let reason) = self { return reason }
            return nil
        }
    }

    /// What in a test file needs the code in the tests' own process: a word (matched as a whole word) and why.
    static let needsSameProcess: [(word: String, reason: String)] = [
        ("mock", "the tests mock or patch the code (unittest.mock)"),
        ("patch", "the tests patch the code"),
        ("monkeypatch", "the tests monkeypatch the code"),
        ("inspect", "the tests inspect the code's source or signatures"),
        ("importlib", "the tests import modules by name (importlib)"),
        ("sys.modules", "the tests reach sys.modules"),
        ("tmp_path", "the tests share files with the code (tmp_path)"),
        ("tmpdir", "the tests share files with the code (tmpdir)"),
        ("subprocess", "the tests start the code as a program"),
        ("runpy", "the tests run the code as a program"),
        ("pickle", "the tests pickle the code's objects"),
        ("__file__", "the tests use file paths (__file__)"),
        ("chdir", "the tests change the working directory"),
        ("capfd", "the tests capture the process's own descriptors"),
    ]

    /// The choice for one run: bridged unless a setting or the tests rule it out.
    static func choose(tests: [CodeFile], code: [CodeFile], integrity: IntegrityMode, sandboxed: Bool) -> Choice {
        guard integrity != .off else { return .inProcess(reason: "the integrity check is off") }
        guard sandboxed else { return .inProcess(reason: "the sandbox is off or makes no filesystem view") }
        for test in tests where test.path.hasSuffix(".py") {
            let text = test.content
            for (word, reason) in needsSameProcess where containsWord(word, in: text) {
                return .inProcess(reason: reason)
            }
        }
        return .bridge(modules: modules(of: code))
    }

    /// The top-level module names of `code`'s Python files (`solution.py` → `solution`, `pkg/a.py` → `pkg`).
    static func modules(of code: [CodeFile]) -> [String] {
        let names = code.map(\.path).filter { $0.hasSuffix(".py") }.compactMap { path -> String? in
            let first = path.split(separator: "/").first.map(String.init) ?? path
            let name = first.hasSuffix(".py") ? String(first.dropLast(3)) : first
            return name.isEmpty || name.contains(".") || name.contains("-") ? nil : name
        }
        return Array(Set(names)).sorted()
    }

    /// What the code process sees besides the code: the task's files that are not Python (data the code reads).
    static func codeData(_ tests: [CodeFile]) -> [CodeFile] {
        tests.filter { !$0.path.hasSuffix(".py") }
    }

    private static func containsWord(_ word: String, in text: String) -> Bool {
        var searchRange = text.startIndex..<text.endIndex
        while let found = text.range(of: word, range: searchRange) {
            let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
            let after = found.upperBound == text.endIndex ? nil : text[found.upperBound]
            if !isIdentifier(before), !isIdentifier(after) { return true }
            searchRange = found.upperBound..<text.endIndex
        }
        return false
    }

    private static func isIdentifier(_ character: Character?) -> Bool {
        guard let character else { return false }
        return character.isLetter || character.isNumber || character == "_"
    }
}
