import Foundation

/// The compiler's errors in a build's output, with the workspace's path taken out, for a model to read.
enum SwiftDiagnostics {
    /// Each `file:line:col: error: …` line (and the source line and caret after it), at most `limit` errors.
    static func errors(in output: String, workspace: String, limit: Int = 20) -> [String] {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: workspace + "/", with: "")
        }
        var errors: [String] = []
        for (index, line) in lines.enumerated() where line.contains(": error: ") && errors.count < limit {
            if errors.contains(where: { $0.hasPrefix(line) }) { continue }
            var block = [line]
            // The compiler follows an error with the source line and a caret line, often indented with a gutter.
            for next in lines.dropFirst(index + 1).prefix(3) {
                if next.contains(": error: ") || next.contains(": warning: ") || next.contains(": note: ") { break }
                if next.trimmingCharacters(in: .whitespaces).isEmpty { break }
                block.append(next)
            }
            errors.append(block.joined(separator: "\n"))
        }
        return errors
    }
}
