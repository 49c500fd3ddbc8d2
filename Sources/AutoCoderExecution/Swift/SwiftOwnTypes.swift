import AutoCoder
import Foundation

/// The types the code declares, by the mangled names Swift's runtime looks them up by (`6Solution3SumV`), so that
/// the sealed entry point (``SwiftSealedMain``) asks the runtime, before any test, whether the tests' literals can
/// become one of them (docs/INTEGRITY.md, "Compiled languages"). A type the literals become has its equality, written
/// or synthesised, judge the tests' expected values; what the runtime answers follows every alias, protocol it
/// inherits from and spelling, which the scan's reading of the text does not. A generic type is asked with `Int`,
/// `String` and `Double` for each of its parameters; a type nested in another module's type cannot be named here,
/// and is a finding of its own (``nestedInForeignType``).
enum SwiftOwnTypes {
    /// One declaration: its path of names from the module down, each with its kind's letter in the mangling
    /// (`V` struct, `C` class or actor, `O` enum) and its count of generic parameters.
    struct Declared: Hashable {
        var path: [String]
        var kinds: [Character]
        var generics: [Int]
    }

    /// The declarations in `files` (Swift sources), and the names of types declared inside an extension of a type
    /// the code does not declare.
    static func declarations(in files: [CodeFile]) -> (declared: [Declared], nestedInForeignType: [String]) {
        var found: [(path: [String], kind: Character?, generics: Int)] = []
        for file in files where file.path.hasSuffix(".swift") && !file.isBinary {
            let code = SourceText.withoutCommentsAndLiterals(file.content)
            var scopes: [(path: [String], depth: Int)] = []
            var depth = 0
            var pending: (path: [String], kind: Character?, generics: Int)?
            var index = code.startIndex
            while index < code.endIndex {
                let character = code[index]
                if character == "{" {
                    depth += 1
                    if let open = pending {
                        scopes.append((open.path, depth))
                        pending = nil
                    }
                } else if character == "}" {
                    while let last = scopes.last, last.depth >= depth { scopes.removeLast() }
                    depth -= 1
                } else if character == ";" {
                    pending = nil
                } else if character.isLetter, index == code.startIndex || !isWord(code[code.index(before: index)]),
                    let header = code[index...].prefixMatch(
                        of: /(struct|class|enum|actor|extension)\s+`?([A-Za-z_][\w.]*)`?\s*(<[^<>{]*>)?/)
                {
                    let names = header.2.split(separator: ".").map(String.init)
                    let outer = scopes.last?.path ?? []
                    let kind: Character? = ["struct": "V", "class": "C", "actor": "C", "enum": "O"][String(header.1)]
                    let generics = header.3.map { $0.split(separator: ",").count } ?? 0
                    // `class func`, `class var`: a member, not a declaration of a type.
                    if header.1 != "class"
                        || !["func", "var", "let", "subscript", "override", "final"].contains(names[0])
                    {
                        pending = (kind == nil ? names : outer + names, kind, generics)
                        if kind != nil { found.append((outer + names, kind, generics)) }
                    }
                    index = header.range.upperBound
                    continue
                }
                index = code.index(after: index)
            }
        }
        var kinds: [[String]: (Character, Int)] = [:]
        for declaration in found {
            if let kind = declaration.kind { kinds[declaration.path] = (kind, declaration.generics) }
        }
        var declared: [Declared] = []
        var foreign: [String] = []
        for declaration in found where declaration.kind != nil {
            let prefixes = (1...declaration.path.count).map { Array(declaration.path.prefix($0)) }
            let resolved = prefixes.compactMap { kinds[$0] }
            guard resolved.count == prefixes.count else {
                foreign.append(declaration.path.joined(separator: "."))
                continue
            }
            declared.append(Declared(path: declaration.path, kinds: resolved.map(\.0), generics: resolved.map(\.1)))
        }
        return (Array(Set(declared)).sorted { $0.path.lexicographicallyPrecedes($1.path) }, foreign)
    }

    /// The mangled names to ask for `declared` in `module`: one, or one per argument type for a generic type (only
    /// its innermost level may be generic; an outer generic type's nested types are not asked).
    static func mangledNames(of declared: Declared, module: String) -> [String] {
        guard declared.path.allSatisfy({ $0.utf8.allSatisfy { $0 < 128 } }), module.utf8.allSatisfy({ $0 < 128 }),
            declared.generics.dropLast().allSatisfy({ $0 == 0 })
        else { return [] }
        let base =
            "\(module.utf8.count)\(module)"
            + zip(declared.path, declared.kinds).map { "\($0.utf8.count)\($0)\($1)" }.joined()
        guard let generics = declared.generics.last, generics > 0 else { return [base] }
        return ["Si", "SS", "Sd"].map { base + "y" + String(repeating: $0, count: generics) + "G" }
    }

    private static func isWord(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
    }
}
