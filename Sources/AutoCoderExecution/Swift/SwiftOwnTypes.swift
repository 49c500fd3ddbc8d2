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

        /// `Box.Sum`.
        var name: String { path.joined(separator: ".") }
    }

    /// A declaration as read: local ones (in a function, a closure, a conditional) and private ones cannot be what
    /// the tests' literals become, since the tests cannot name them.
    private struct Read {
        var path: [String]
        var kind: Character?
        var generics: Int
        var hidden: Bool
    }

    /// The declarations in `files` (Swift sources) that the tests could name, the names of those the runtime
    /// cannot be asked about here (one declared inside an extension of a type the code does not declare, or with a
    /// name that is not ASCII), and the names of every type the code declares.
    static func declarations(
        in files: [CodeFile]
    ) -> (declared: [Declared], nestedInForeignType: [String], allNames: Set<String>) {
        var found: [Read] = []
        for file in files where file.path.hasSuffix(".swift") && !file.isBinary {
            found += read(SourceText.withoutCommentsAndLiterals(file.content))
        }
        var kinds: [[String]: (Character, Int)] = [:]
        for read in found { if let kind = read.kind { kinds[read.path] = (kind, read.generics) } }
        var declared: [Declared] = []
        var unaskable: [String] = []
        for read in found where read.kind != nil && !read.hidden {
            let prefixes = (1...read.path.count).map { Array(read.path.prefix($0)) }
            let resolved = prefixes.compactMap { kinds[$0] }
            guard resolved.count == prefixes.count, read.path.allSatisfy({ $0.utf8.allSatisfy { $0 < 128 } }) else {
                unaskable.append(read.path.joined(separator: "."))
                continue
            }
            declared.append(Declared(path: read.path, kinds: resolved.map(\.0), generics: resolved.map(\.1)))
        }
        let names = Set(found.filter { $0.kind != nil }.compactMap(\.path.last))
        return (Array(Set(declared)).sorted { $0.path.lexicographicallyPrecedes($1.path) }, unaskable, names)
    }

    /// The type declarations of one file's code (comments and literals emptied), each with the path of the types
    /// around it.
    private static func read(_ code: String) -> [Read] {
        var found: [Read] = []
        // Each open brace: the declaration it opens (its path and whether it is hidden), or `nil` for any other
        // (a function's body, a closure, a conditional).
        var scopes: [(path: [String], hidden: Bool)?] = []
        var pending: (path: [String], hidden: Bool)?
        var index = code.startIndex
        while index < code.endIndex {
            let character = code[index]
            if character == "{" {
                scopes.append(pending)
                pending = nil
            } else if character == "}" {
                _ = scopes.popLast()
            } else if character == ";" {
                pending = nil
            } else if character.isLetter, index == code.startIndex || !isWord(code[code.index(before: index)]),
                let header = code[index...].prefixMatch(
                    of: /(struct|class|enum|actor|extension)\s+`?([\p{L}_][\p{L}\p{N}_.]*)`?\s*(<[^<>{]*>)?/)
            {
                let names = header.2.split(separator: ".").map(String.init)
                let kind: Character? = ["struct": "V", "class": "C", "actor": "C", "enum": "O"][String(header.1)]
                // `class func`, `class var`: a member, not a declaration of a type.
                let member =
                    header.1 == "class" && ["func", "var", "let", "subscript", "override", "final"].contains(names[0])
                if !member {
                    // The declaration's own modifiers: from the end of whatever came before it (a line, a `;`, a
                    // brace), so that `fileprivate func f() {}; public struct Sum` does not hide `Sum`.
                    let start =
                        code[..<index].lastIndex(where: { "\n;{}".contains($0) }).map { code.index(after: $0) }
                        ?? code.startIndex
                    let modifiers = code[start..<index]
                    let isPrivate = modifiers.contains(/\b(?:private|fileprivate)\b/)
                    let local: Bool
                    let outer: (path: [String], hidden: Bool)
                    switch scopes.last {
                    case .none: (local, outer) = (false, ([], false))
                    case .some(.none): (local, outer) = (true, ([], false))
                    case .some(.some(let scope)): (local, outer) = (false, scope)
                    }
                    let path = kind == nil ? names : outer.path + names
                    let hidden = local || outer.hidden || isPrivate
                    pending = (path, kind == nil ? false : hidden)
                    if kind != nil {
                        found.append(
                            Read(
                                path: path, kind: kind, generics: header.3.map { $0.split(separator: ",").count } ?? 0,
                                hidden: hidden))
                    }
                }
                index = header.range.upperBound
                continue
            }
            index = code.index(after: index)
        }
        return found
    }

    /// The mangled names to ask for `declared` in `module`: one, or one per argument type (`Int`, `String`,
    /// `Double`) for a type that is generic or inside a generic type. The arguments come in one list per level from
    /// the first generic one down (empty for a level without parameters), the lists apart by `_` and ended by `G`:
    /// `Holder<Int>.Total` is `8Solution6HolderV5TotalVySi_G` (read off `_mangledTypeName`).
    static func mangledNames(of declared: Declared, module: String) -> [String] {
        guard module.utf8.allSatisfy({ $0 < 128 }) else { return [] }
        let base =
            "\(module.utf8.count)\(module)"
            + zip(declared.path, declared.kinds).map { "\($0.utf8.count)\($0)\($1)" }.joined()
        guard let first = declared.generics.firstIndex(where: { $0 > 0 }) else { return [base] }
        return ["Si", "SS", "Sd"].map { argument in
            let lists = declared.generics[first...].map { String(repeating: argument, count: $0) }
            return base + "y" + lists.joined(separator: "_") + "G"
        }
    }

    private static func isWord(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
    }
}
