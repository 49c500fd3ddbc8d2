/// Source text of the C family (Swift, Java) with its comments and string literals out of the way, for reading
/// declarations by shape.
enum SourceText {
    /// `source` with comments removed and string literals (single-line, multi-line and raw, interpolations
    /// included) emptied, newlines kept.
    static func withoutCommentsAndLiterals(_ source: String) -> String {
        var kept = ""
        var rest = Substring(source)
        while let character = rest.first {
            if rest.hasPrefix("//") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*") {
                skipComment(&rest)
                kept.append(" ")
            } else if character == "\"" || (character == "#" && rest.drop { $0 == "#" }.first == "\"") {
                skipLiteral(&rest)
                kept.append("\"\"")
            } else {
                kept.append(character)
                rest = rest.dropFirst()
            }
        }
        return kept
    }

    /// Past a `/* … */` comment (nested ones included) at the start of `rest`.
    static func skipComment(_ rest: inout Substring) {
        rest = rest.dropFirst(2)
        var depth = 1
        while depth > 0, !rest.isEmpty {
            if rest.hasPrefix("/*") {
                depth += 1
                rest = rest.dropFirst(2)
            } else if rest.hasPrefix("*/") {
                depth -= 1
                rest = rest.dropFirst(2)
            } else {
                rest = rest.dropFirst()
            }
        }
    }

    /// Past the string literal at the start of `rest`: its `#`s, its quotes, and interpolations (`\(…)`, or
    /// `\#(…)` in a raw string) with the literals nested in them. A single-line literal ends at its line's end.
    static func skipLiteral(_ rest: inout Substring) {
        let hashes = String(rest.prefix { $0 == "#" })
        rest = rest.dropFirst(hashes.count)
        let quote = rest.hasPrefix("\"\"\"") ? "\"\"\"" : "\""
        rest = rest.dropFirst(quote.count)
        let close = quote + hashes
        let escape = "\\" + hashes
        while !rest.isEmpty, !rest.hasPrefix(close) {
            if quote == "\"", rest.first == "\n" { return }
            guard rest.hasPrefix(escape) else {
                rest = rest.dropFirst()
                continue
            }
            rest = rest.dropFirst(escape.count)
            guard rest.first == "(" else {
                rest = rest.dropFirst()
                continue
            }
            var depth = 0
            while let inside = rest.first {
                if inside == "\"" || (inside == "#" && rest.drop { $0 == "#" }.first == "\"") {
                    skipLiteral(&rest)
                    continue
                }
                if inside == "(" { depth += 1 }
                if inside == ")" { depth -= 1 }
                rest = rest.dropFirst()
                if depth == 0 { break }
            }
        }
        rest = rest.dropFirst(close.count)
    }
}
