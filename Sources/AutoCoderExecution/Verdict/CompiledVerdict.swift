import AutoCoder
import Foundation

/// What every compiled language's run goes through around its own runner's verdict (docs/INTEGRITY.md, "Compiled
/// languages"): the language's strict scan before the build, then the seal and the declared tests after the run.
/// An executor makes one per run: ``screen(_:)`` first, ``judged(_:output:declared:)`` on the runner's verdict.
struct CompiledVerdict: Sendable {
    var scan: SourceScan
    var mode: IntegrityMode
    /// The run's seal, when the language's framework entry point can carry one.
    var seal: VerdictSeal?
    /// Whether the sealed cases decide each test's outcome (a framework that seals every test).
    var sealedCasesDecide = false
    /// Whether every test in the report must have been sealed (``VerdictSeal/judged(_:output:mode:sealedCasesDecide:sealedCasesCover:)``).
    var sealedCasesCover = false
    /// What the scan found, once ``screen(_:tests:)`` ran.
    private(set) var report: IntegrityReport?
    /// Whether the test files declare a skip (``SourceScan/skips``), once ``screen(_:tests:)`` ran.
    private(set) var skipsDeclared = true

    init(scan: SourceScan, mode: IntegrityMode, seal: VerdictSeal? = nil, sealedCasesDecide: Bool = false) {
        self.scan = scan
        self.mode = mode
        self.seal = seal
        self.sealedCasesDecide = sealedCasesDecide
    }

    /// Scans `files` (the generated files and the starter files they overlay, never the tests); the result that
    /// refuses them before they are built, when the scan condemns them. `tests` are read for declared skips.
    mutating func screen(_ files: [CodeFile], tests: [CodeFile]) -> TestResult? {
        skipsDeclared = scan.declaresSkips(in: tests)
        report = scan.report(for: files, mode: mode)
        guard let report, report.condemns else { return nil }
        return TestResult(outcome: .tampered, message: report.refusalFeedback, integrity: report)
    }

    /// The runner's `result` held to the seal (read from the run's raw `output`), to the `declared` tests and to
    /// the declared skips (a test skipped when no test file declares a skip is `tampered` unless integrity is off:
    /// the code threw the framework's skip to hide a failure), with the scan's findings attached.
    func judged(_ result: TestResult, output: String, declared: DeclaredTests) -> TestResult {
        var result = result
        if let seal {
            result = seal.judged(
                result, output: output, mode: mode, sealedCasesDecide: sealedCasesDecide,
                sealedCasesCover: sealedCasesCover)
        }
        result = declared.checked(result, mode: mode)
        if mode != .off, !skipsDeclared, [.passed, .failed].contains(result.outcome),
            let skipped = result.tests.first(where: { $0.outcome == .skipped })
        {
            result = VerdictSeal.tampered(
                result, mode: mode, rule: "undeclared-skip",
                "\(skipped.name) was skipped, but no test file declares a skip; a skip the code raised hides a failure")
        }
        if let report {
            var merged = report
            merged.findings += result.integrity?.findings ?? []
            result.integrity = merged
        }
        return result
    }
}
