/// How strictly a run's verdict is guarded against code that tries to forge it (see README, "Integrity").
public enum IntegrityMode: String, Codable, Hashable, Sendable, CaseIterable {
    /// Findings of the static scan stop the attempt before it runs, and any forgery seen at run time makes
    /// the outcome ``TestOutcome/tampered``.
    case strict
    /// Findings of the static scan are reported and do not fail the run; a forgery seen at run time still does.
    case warn
    /// No scan and no check in the test process.
    case off
}

/// One thing the integrity check found: a static finding in the code before it ran, or a forgery seen while it
/// ran (`proven`).
public struct IntegrityFinding: Codable, Hashable, Sendable {
    /// The rule's name, for example `patched-test-machinery` or `forged-equality` (README, "Integrity").
    public var rule: String
    /// The file it points at, relative to the workspace, when known.
    public var file: String?
    public var line: Int?
    /// The source line, for static findings.
    public var excerpt: String?
    public var message: String
    /// Whether it was seen happen (a forgery) rather than read in the source (a suspicion).
    public var proven: Bool

    public init(
        rule: String, file: String? = nil, line: Int? = nil, excerpt: String? = nil, message: String,
        proven: Bool
    ) {
        self.rule = rule
        self.file = file
        self.line = line
        self.excerpt = excerpt
        self.message = message
        self.proven = proven
    }

    /// `file:line`, or the file, or nothing.
    public var location: String? {
        guard let file else { return nil }
        return line.map { "\(file):\($0)" } ?? file
    }
}

/// Where a run's verdict was computed, for the languages that can keep it apart from the code.
public enum VerdictIsolation: String, Codable, Hashable, Sendable {
    /// The tests and the verdict ran in a process that never ran the code; calls crossed a bridge by value.
    case bridge
    /// The code ran in the tests' own process, guarded by the in-process checks.
    case inProcess = "in-process"
}

/// What the integrity check of one run saw.
public struct IntegrityReport: Codable, Hashable, Sendable {
    public var mode: IntegrityMode
    public var findings: [IntegrityFinding]
    /// Where the verdict was computed, when the language says.
    public var isolation: VerdictIsolation?
    /// Why the run stayed in-process, when it did.
    public var fallback: String?

    public init(
        mode: IntegrityMode, findings: [IntegrityFinding] = [], isolation: VerdictIsolation? = nil,
        fallback: String? = nil
    ) {
        self.mode = mode
        self.findings = findings
        self.isolation = isolation
        self.fallback = fallback
    }

    /// Whether the run is ``TestOutcome/tampered``: a forgery was seen, or, under `strict`, the scan found anything.
    public var condemns: Bool { findings.contains(where: \.proven) || (mode == .strict && !findings.isEmpty) }

    /// ``feedback`` for an attempt refused before its tests ran.
    public var refusalFeedback: String { feedback + " The tests were not run." }

    /// The sentence fed back to the model about a tampered run: where, what, and what to do instead.
    public var feedback: String {
        let first = findings.first { $0.proven } ?? findings.first
        guard let first else { return "The verdict could not be verified." }
        let place = first.location.map { " at \($0)" } ?? ""
        let kind = first.proven ? "The test machinery was modified\(place)" : "The code\(place) was refused"
        return "\(kind) (\(first.rule): \(first.message)); implement the behaviour instead."
    }
}
