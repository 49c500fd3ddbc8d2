import AutoCoder
import Foundation

/// The equality definitions of a language whose body never reads one of its operands: an `==` that answers
/// without looking at the other side (`return true`, `lhs.value == lhs.value`, an unnamed parameter) makes every
/// assertion of equality pass. Each language gives the signatures to look for, with the operands' names captured;
/// the body is the braces that follow, with literals emptied and comments cut.
public struct EqualityScan: Sendable {
    /// Signatures whose capture groups are the operands' names (or a parameter list, when ``parameterLists``).
    public var signatures: [String]
    /// Whether the captures are C++ parameter lists (`Clock const &other`, `T const &`), whose names are read from
    /// them.
    public var parameterLists: Bool
    private let patterns: [NSRegularExpression]

    public init(signatures: [String], parameterLists: Bool = false) {
        self.signatures = signatures
        self.parameterLists = parameterLists
        patterns = signatures.compactMap { try? NSRegularExpression(pattern: $0) }
    }

    /// The findings in `code`: `lines`, the file's lines as ``SourceScan`` reads them (literals emptied). With
    /// ``parameterLists``, also each operator whose parameter is not of a class or struct the code declares
    /// (`ownTypes`): one that takes an `int`, an alias of one or a template's `T` compares the code's values with the
    /// tests' expected ones.
    func findings(
        in lines: [String], file: String, original: [Substring], ownTypes: Set<String> = []
    ) -> [IntegrityFinding] {
        let text = lines.joined(separator: "\n")
        var found: [IntegrityFinding] = []
        for pattern in patterns {
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let end = Range(match.range, in: text)?.upperBound,
                    let body = Self.body(in: text[end...])
                else { continue }
                let captured = (1..<match.numberOfRanges).map { index in
                    Range(match.range(at: index), in: text).map { String(text[$0]) } ?? ""
                }
                let operands = parameterLists ? captured.flatMap(Self.names(inParameterList:)) : captured
                let start = Range(match.range, in: text)?.lowerBound ?? text.startIndex
                let line = text[..<start].filter { $0 == "\n" }.count
                if parameterLists,
                    let foreign = captured.flatMap(Self.typeNames(inParameterList:)).first(where: {
                        !ownTypes.contains($0)
                    })
                {
                    found.append(
                        IntegrityFinding(
                            rule: "forged-equality", file: file, line: line + 1,
                            excerpt: String(original[line].trimmingCharacters(in: .whitespaces).prefix(200)),
                            message:
                                "compares a value of its own with a \(foreign), which is no class or struct the code "
                                + "declares (a built-in, an alias or a template's type: the tests' expected values)",
                            proven: false))
                    continue
                }
                guard operands.contains(where: { $0.isEmpty || $0.hasPrefix("_") || !Self.uses(body, $0) })
                else { continue }
                found.append(
                    IntegrityFinding(
                        rule: "forged-equality", file: file, line: line + 1,
                        excerpt: String(original[line].trimmingCharacters(in: .whitespaces).prefix(200)),
                        message: "defines an equality that never reads one of its operands", proven: false))
            }
        }
        return found
    }

    /// What lies between the first `{` after the signature and the `}` that closes it; `nil` for a declaration.
    static func body(in rest: Substring) -> Substring? {
        guard let open = rest.firstIndex(where: { $0 == "{" || $0 == ";" }), rest[open] == "{" else { return nil }
        var depth = 0
        for index in rest[open...].indices {
            if rest[index] == "{" { depth += 1 }
            if rest[index] == "}" {
                depth -= 1
                if depth == 0 { return rest[rest.index(after: open)..<index] }
            }
        }
        return nil
    }

    /// Whether `name` occurs in `body` as a word of its own.
    static func uses(_ body: Substring, _ name: String) -> Bool {
        let isWord = { (character: Character) in character.isLetter || character.isNumber || character == "_" }
        var rest = body
        while let found = rest.range(of: name) {
            let before = found.lowerBound > body.startIndex ? body[body.index(before: found.lowerBound)] : " "
            let after = found.upperBound < body.endIndex ? body[found.upperBound] : " "
            if !isWord(before), !isWord(after) { return true }
            rest = body[found.upperBound...]
        }
        return false
    }

    /// The parameters' types of a C++ parameter list, each by its last name (`const ns::clock &rhs` is `clock`,
    /// `binary_tree<T>::iter` is `iter`).
    static func typeNames(inParameterList list: String) -> [String] {
        list.split(separator: ",").compactMap { parameter in
            let declared = parameter.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            let plain = declared.replacing(/<[^<>]*>/, with: " ").replacing(
                /\b(?:const|volatile|struct|class|typename)\b/, with: " ")
            let words = plain.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") })
                .map(String.init).filter { !$0.isEmpty }
            guard let type = words.count >= 2 ? words[words.count - 2] : words.first else { return nil }
            return type.split(separator: ":").last.map(String.init)
        }
    }

    /// The parameters' names of a C++ parameter list; an empty name for one without (`T const &`).
    static func names(inParameterList list: String) -> [String] {
        list.split(separator: ",").map { parameter in
            let trimmed = parameter.replacingOccurrences(of: "(", with: " ").replacingOccurrences(of: ")", with: " ")
                .trimmingCharacters(in: .whitespaces)
            guard let last = trimmed.last, last.isLetter || last.isNumber || last == "_" else { return "" }
            let words = trimmed.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") })
            return words.count >= 2 ? String(words.last!) : ""
        }
    }
}
