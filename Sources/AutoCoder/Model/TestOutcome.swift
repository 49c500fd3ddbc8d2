/// How a whole test run ended.
public enum TestOutcome: String, Codable, Hashable, Sendable, CaseIterable {
    /// Every test ran and none failed.
    case passed
    /// Some test failed or errored in setup or teardown.
    case failed
    /// The tests could not be collected: an import, syntax or collection error, or a report that was never written.
    case error
    /// The run went past its wall-clock limit and was killed.
    case timeout
    /// The run was killed by a signal it did not ask for (for example out of memory).
    case crashed
    /// No test was found, or every test was skipped: nothing was verified.
    case noTests = "no_tests"
    /// The runner itself could not run (no interpreter, no pytest, no disk space): not the code's fault.
    case infrastructureError = "infrastructure_error"
    /// The verdict was forged, or the code under test was found trying to forge it (see ``IntegrityReport``):
    /// never a pass, whatever the report says.
    case tampered
}
