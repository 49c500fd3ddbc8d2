import AutoCoder
import AutoCoderStore
import Foundation

/// Readable text of recorded runs.
enum RunText {
    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// `runs show`: the run's header, then each iteration with its files (or their diff), tests and failures.
    static func describe(_ run: StoredRun) -> [String] {
        let summary = run.summary
        let ending: String =
            switch summary.status {
            case .running: "still running"
            case .interrupted: "interrupted (the process died before the run ended)"
            case .finished:
                summary.solved == true
                    ? "solved in \(summary.iterations) iteration(s)"
                    : "not solved: \(summary.stopReason?.rawValue ?? "?") after \(summary.iterations) iteration(s)"
            }
        var lines = [
            "Run \(summary.id)", "  started  \(date(summary.startedAt))", "  status   \(ending)",
            "  provider \(summary.provider)\(summary.model.map { " · \($0)" } ?? "")",
            "  settings max \(counted(run.settings.maxIterations, "iteration")) · timeout \(run.settings.timeoutSeconds.map { "\($0) s" } ?? "-")"
                + " · sandbox \(run.settings.sandbox ? "on" : "off")",
            "  task     \(summary.taskTitle)",
        ]
        if let replayOf = summary.replayOf { lines.append("  replay of \(replayOf)") }
        if let error = summary.error { lines.append("  error    \(error)") }
        let repository = run.task.repository
        if let repository {
            lines.append("  repository \(repository.root)\(repository.baseCommit.map { " at \($0.prefix(12))" } ?? "")")
            lines.append("  tests    \(repository.testCommand)")
        }
        // In a repository, each attempt is shown as a diff from the files as they were (those the model was shown).
        var previous: [CodeFile] = repository?.files ?? []
        for step in run.steps {
            lines.append("")
            lines.append(
                "Iteration \(step.iteration) · \(step.type.rawValue) · \(step.generationMs) ms generating, \(step.durationMs) ms in all"
            )
            let call = run.calls.first { $0.iteration == step.iteration }
            if let problem = call?.attempt.problem { lines.append("  reply rejected: \(problem)") }
            if previous.isEmpty, repository == nil {
                for file in step.files {
                    lines.append("  --- \(file.path) ---")
                    let body = file.content.hasSuffix("\n") ? String(file.content.dropLast()) : file.content
                    lines.append(
                        contentsOf: body.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 })
                }
            } else {
                let diffs = step.files.compactMap { file -> String? in
                    let old = previous.first { $0.path == file.path }?.content ?? ""
                    let diff = LineDiff.unified(old: old, new: file.content, oldName: file.path, newName: file.path)
                    return diff.isEmpty ? nil : diff
                }
                let from = repository != nil && step.iteration == 1 ? "the repository" : "the previous attempt"
                lines.append(diffs.isEmpty ? "  (no change from \(from))" : "  diff from \(from):")
                for diff in diffs { lines.append(contentsOf: diff.split(separator: "\n").map { "  " + $0 }) }
            }
            previous = step.files
            if let result = step.testResult {
                lines.append("  tests: \(result.summary) (\(result.durationMs) ms)")
                for test in result.problems {
                    lines.append(
                        "    ✗ \(test.name)\(test.message.map { " — " + (String($0.split(separator: "\n").first ?? "")) } ?? "")"
                    )
                }
            }
        }
        if run.steps.isEmpty { lines += ["", "No iteration was recorded."] }
        if let repository, let final = run.steps.last(where: { $0.testResult?.passed == true }) ?? run.steps.last {
            let diffs = final.files.compactMap { file -> String? in
                let old = repository.files.first { $0.path == file.path }?.content ?? ""
                let diff = LineDiff.unified(
                    old: old, new: file.content, oldName: "a/\(file.path)", newName: "b/\(file.path)")
                return diff.isEmpty ? nil : diff
            }
            if !diffs.isEmpty {
                lines += ["", "Final diff (iteration \(final.iteration)):"]
                for diff in diffs { lines.append(contentsOf: diff.split(separator: "\n").map { "  " + $0 }) }
            }
        }
        return lines
    }
}
