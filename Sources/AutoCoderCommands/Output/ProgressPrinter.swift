import AutoCoder

/// Shows a run's progress on stderr, one line per event.
struct ProgressPrinter {
    var enabled: Bool
    /// The iteration limit, shown as `[2/5]`.
    var limit: Int

    func begin(_ task: CodingTask) {
        guard enabled else { return }
        let title = task.description.split(separator: "\n").first.map(String.init) ?? ""
        let iterations = counted(limit, "iteration")
        Terminal.note("Solving: \(title.prefix(100)) (\(task.tests.count) test file(s), at most \(iterations))")
    }

    func show(_ event: CodingEvent) {
        guard enabled else { return }
        switch event {
        case .started(let type, let iteration):
            let activity =
                switch type {
                case .generate: "generating…"
                case .fix: "fixing…"
                case .test: "testing…"
                }
            Terminal.note("[\(iteration)/\(limit)] \(activity)")
        case .tested(let result, let iteration):
            let verdict =
                result.message.map { "\(result.outcome.rawValue): \($0.withoutFinalPeriod)" } ?? result.outcome.rawValue
            // A run that reported no test (a timeout, a crash) has no count to show.
            let counts = result.tests.isEmpty ? "" : "\(result.numPassed)/\(result.tests.count) tests passed · "
            Terminal.note("[\(iteration)/\(limit)] \(counts)\(verdict) (\(result.durationMs) ms)")
            for test in result.problems.prefix(5) {
                Terminal.note("        ✗ \(test.name)\(test.message.map { " — " + firstLine($0) } ?? "")")
            }
            if result.problems.count > 5 { Terminal.note("        … and \(result.problems.count - 5) more") }
        case .generated, .stepFinished:
            break
        case .finished(let outcome):
            for line in ResultPrinter.verdict(outcome) { Terminal.note(line) }
        }
    }

    private func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n").first ?? "").prefix(160).description
    }
}
