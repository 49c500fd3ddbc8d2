import AutoCoder
import Foundation

/// Swift's findings on the code's declarations as a whole (``SourceScan/wholeCode``): a comparison operator
/// (`==`, `!=`, `<`, `<=`, `>`, `>=`, `~=`) may compare only types the code declares, or `Self` inside one of
/// them. A generic one (`== <T: BinaryInteger>`), one taking a built-in type, an alias or a protocol, or one
/// declared in an extension of a type the code does not declare (`extension Int`) compares the tests' expected
/// values by the code's rule, which may say yes to anything. A type declared inside an extension of another
/// module's type, or with a name that is not ASCII, is also a finding, since the entry point cannot ask the runtime
/// about it (``SwiftOwnTypes``).
enum SwiftComparisonOperators {
    static func findings(in files: [CodeFile]) -> [IntegrityFinding] {
        let (_, unaskable, own) = SwiftOwnTypes.declarations(in: files)
        var found: [IntegrityFinding] = []
        for file in files {
            let code = SourceText.withoutCommentsAndLiterals(file.content)
            let original = file.content.split(separator: "\n", omittingEmptySubsequences: false)
            for match in code.matches(of: /\bfunc\s*(==|!=|<=|>=|<|>|~=)\s*(<[^(]*>)?\s*\(([^)]*)\)/) {
                let line = code[..<match.range.lowerBound].filter { $0 == "\n" }.count
                let enclosing = code[..<match.range.lowerBound].matches(
                    of: /\b(?:struct|class|enum|actor|extension)\s+`?([A-Za-z_][\w.]*)/
                ).last.map { String($0.1.split(separator: ".").last ?? "") }
                let types = Self.parameterTypes(String(match.3))
                let foreign =
                    match.2 != nil
                    ? "a generic parameter"
                    : types.first { type in
                        type == "Self" ? !(enclosing.map(own.contains) ?? false) : !own.contains(type)
                    }.map { $0 == "Self" ? "`Self` of \(enclosing ?? "a protocol"), a type it does not declare" : $0 }
                guard let foreign else { continue }
                found.append(
                    IntegrityFinding(
                        rule: "forged-equality", file: file.path, line: line + 1,
                        excerpt: original.indices.contains(line)
                            ? String(original[line].trimmingCharacters(in: .whitespaces).prefix(200)) : "",
                        message:
                            "defines a comparison with \(foreign): only types the code declares may be compared by "
                            + "its own operators, or the tests' expected values are judged by a rule it wrote",
                        proven: false))
            }
        }
        for name in unaskable {
            let file = files.first { $0.content.contains(name.split(separator: ".").last.map(String.init) ?? name) }
            found.append(
                IntegrityFinding(
                    rule: "forged-equality", file: file?.path ?? "", line: 1, excerpt: name,
                    message:
                        "declares \(name) where the test run cannot ask the runtime whether the tests' literals become "
                        + "it (inside an extension of a type it does not declare, or a name that is not ASCII)",
                    proven: false))
        }
        return found
    }

    /// Each parameter's type by its last name, without attributes, ownership, optionality or generic arguments
    /// (`inout Outer.Sum?` is `Sum`).
    static func parameterTypes(_ list: String) -> [String] {
        list.replacing(/<[^<>]*>/, with: "").split(separator: ",").map { parameter in
            let type = parameter.split(separator: ":", maxSplits: 1).last.map(String.init) ?? ""
            let words = type.replacing(/@\w+|\b(?:inout|borrowing|consuming|some|any)\b|[?!()\[\]]/, with: " ")
                .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            return words.first.map { String($0.split(separator: ".").last ?? $0) } ?? ""
        }
    }
}
