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
    /// What the scan found, once ``screen(_:)`` ran.
    private(set) var report: IntegrityReport?

    init(scan: SourceScan, mode: IntegrityMode, seal: VerdictSeal? = nil, sealedCasesDecide: Bool = false) {
        self.scan = scan
        self.mode = mode
        self.seal = seal
        self.sealedCasesDecide = sealedCasesDecide
    }

    /// Scans `files` (the generated files and the starter files they overlay, never the tests); the result that
    /// refuses them before they are built, when the scan condemns them.
    mutating func screen(_ files: [CodeFile]) -> TestResult? {
        report = scan.report(for: files, mode: mode)
        guard let report, report.condemns else { return nil }
        return TestResult(outcome: .tampered, message: report.refusalFeedback, integrity: report)
    }

    /// The runner's `result` held to the seal (read from the run's raw `output`) and to the `declared` tests, with
    /// the scan's findings attached.
    func judged(_ result: TestResult, output: String, declared: DeclaredTests) -> TestResult {
        var result = result
        if let seal {
            result = seal.judged(
                result, output: output, mode: mode, sealedCasesDecide: sealedCasesDecide,
                sealedCasesCover: sealedCasesCover)
        }
        result = declared.checked(result, mode: mode)
        if let report {
            var merged = report
            merged.findings += result.integrity?.findings ?? []
            result.integrity = merged
        }
        return result
    }
}
