import AutoCoder
import Foundation

/// The integrity scan of generated Swift files (docs/INTEGRITY.md, "Swift"): what a solution needs neither to
/// compute its answer nor to be tested, and what could end or steer the test process instead. Line by line, with
/// comments and string literals taken out first. There is no run-time check for Swift: the verdict comes from the
/// test runner's own console and report, which the solution cannot patch through an Objective-C runtime on Linux.
enum SwiftIntegrityScan {
    struct Rule {
        var name: String
        var pattern: NSRegularExpression
        var message: String
    }

    static let rules: [Rule] = [
        ("test-machinery-import", #"^\s*(?:@testable\s+)?import\s+(?:XCTest|Testing)\b"#, "imports the test framework"),
        (
            "process-control", #"\b(?:exit|_exit|abort|atexit|kill|raise|signal|sigaction)\s*\("#,
            "can end or interrupt the test process"
        ),
        ("patching", #"\b(?:setenv|unsetenv|putenv)\s*\("#, "changes the test process's environment"),
        (
            "introspection", #"@_silgen_name|@_cdecl|\bdlsym\s*\(|\bdlopen\s*\("#,
            "reaches symbols of the test runner or the C library by name"
        ),
    ].compactMap { name, pattern, message in
        (try? NSRegularExpression(pattern: pattern)).map { Rule(name: name, pattern: $0, message: message) }
    }

    private static let literal = try? NSRegularExpression(
        pattern: #""(?:[^"\\\n]|\\.)*""#)

    /// The findings in `files` (the generated sources, not the tests).
    static func findings(in files: [CodeFile]) -> [IntegrityFinding] {
        var found: [IntegrityFinding] = []
        for file in files where file.path.hasSuffix(".swift") && !file.isBinary {
            for (index, line) in file.content.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = stripped(String(line))
                guard !code.isEmpty else { continue }
                let range = NSRange(code.startIndex..., in: code)
                for rule in rules where rule.pattern.firstMatch(in: code, range: range) != nil {
                    found.append(
                        IntegrityFinding(
                            rule: rule.name, file: file.path, line: index + 1,
                            excerpt: String(line.trimmingCharacters(in: .whitespaces).prefix(200)),
                            message: rule.message, proven: false))
                }
            }
        }
        return found
    }

    /// The line without its string literals and its `//` comment.
    private static func stripped(_ line: String) -> String {
        var code = line
        if let literal {
            code = literal.stringByReplacingMatches(
                in: code, range: NSRange(code.startIndex..., in: code), withTemplate: "\"\"")
        }
        if let comment = code.range(of: "//") { code = String(code[..<comment.lowerBound]) }
        return code.trimmingCharacters(in: .whitespaces)
    }

    /// What the scan finds in `files` under `mode`; `nil` when the check is off. A report that
    /// ``IntegrityReport/condemns`` the files refuses them before they are built.
    static func report(for files: [CodeFile], mode: IntegrityMode) -> IntegrityReport? {
        mode == .off ? nil : IntegrityReport(mode: mode, findings: findings(in: files))
    }
}
