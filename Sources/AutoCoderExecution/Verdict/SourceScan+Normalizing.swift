import Foundation

/// What each language's compiler does to the text before it reads tokens, done first by the scan
/// (``SourceScan/normalize``), so that a spelling the compiler undoes or a literal it reads across lines does not
/// hide a word from the rules.
extension SourceScan {
    /// Java's first step (JLS 3.3): every `\uXXXX` escape (`\uuu0065` too) becomes its character, wherever it is,
    /// so `System.\u0065xit` reads `System.exit` and `\u000a` ends a `//` comment.
    @Sendable static func decodingUnicodeEscapes(_ text: String) -> String {
        guard text.contains("\\u") else { return text }
        return text.replacing(/\\u+([0-9a-fA-F]{4})/) { match in
            UInt32(match.1, radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) } ?? String(match.0)
        }
    }

    /// A raw string literal (Rust's `r#"…"#`, C++'s `R"x(…)x"`), whose backslashes are not escapes and whose
    /// quotes may appear inside, emptied to `""` first, its newlines kept, so that the quotes in it do not start or
    /// end a literal for the line-by-line reading.
    @Sendable static func emptyingRustRawStrings(_ text: String) -> String {
        guard text.contains("r\"") || text.contains("r#") else { return text }
        return text.replacing(#/\b(?:b|c)?r(#*)"[\s\S]*?"\1/#) { emptied($0.0) }
    }

    @Sendable static func emptyingCppRawStrings(_ text: String) -> String {
        guard text.contains("R\"") else { return text }
        return text.replacing(#/(?:u8|u|U|L)?R"([^()\\\s]{0,16})\([\s\S]*?\)\1"/#) { emptied($0.0) }
    }

    private static func emptied(_ literal: Substring) -> String {
        "\"\"" + String(repeating: "\n", count: literal.filter { $0 == "\n" }.count)
    }

    /// Rust's character literals (`'"'`, `'\\''`) as a blank one, so that a quote in one does not open a string;
    /// lifetimes (`'a`) have no closing quote and stay.
    @Sendable static func blankingCharacterLiterals(_ text: String) -> String {
        text.contains("'") ? text.replacing(/'(?:\\.|[^\\'\n])'/, with: "' '") : text
    }

    /// Rust's raw identifiers (`r#process`) read as the names they spell.
    @Sendable static func withoutRawIdentifiers(_ text: String) -> String {
        text.contains("r#") ? text.replacing(/\br#([A-Za-z_])/) { String($0.1) } : text
    }

    /// C and C++'s first steps: a backslash before a newline joins the two lines (the joined line keeps the first
    /// one's number, and empty lines after it keep the others'), and the digraphs `%:`, `<:`, `:>`, `<%`, `%>`
    /// become `#`, `[`, `]`, `{`, `}`.
    @Sendable static func splicingLines(_ text: String) -> String {
        var lines: [String] = []
        var pending = ""
        var joined = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasSuffix("\\") {
                pending += line.dropLast()
                joined += 1
                continue
            }
            lines.append(pending + line)
            lines += Array(repeating: "", count: joined)
            pending = ""
            joined = 0
        }
        if !pending.isEmpty { lines.append(pending) }
        return lines.joined(separator: "\n").replacingOccurrences(of: "%:", with: "#")
            .replacingOccurrences(of: "<:", with: "[").replacingOccurrences(of: ":>", with: "]")
            .replacingOccurrences(of: "<%", with: "{").replacingOccurrences(of: "%>", with: "}")
    }
}
