extension TestResult {
    /// A one-line summary such as `failed: 1 passed, 2 failed` or `timeout: timed out after 10 s`.
    public var summary: String {
        if outcome == .tampered { return "tampered — \((message ?? "the verdict was forged").withoutFinalPeriod)" }
        var counts = ["\(numPassed) passed", "\(numFailed) failed"]
        if numErrors > 0 { counts.append("\(numErrors) errors") }
        if numSkipped > 0 { counts.append("\(numSkipped) skipped") }
        let line = "\(outcome.rawValue): \(counts.joined(separator: ", "))"
        guard let message, outcome != .passed, outcome != .failed else { return line }
        return "\(line) — \(message.withoutFinalPeriod)"
    }
}

extension String {
    /// The text without one final period, so that it can stand inside a sentence or before another period.
    public var withoutFinalPeriod: String {
        hasSuffix(".") && !hasSuffix("..") ? String(dropLast()) : self
    }
}
