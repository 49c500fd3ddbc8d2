import AutoCoder

/// The XCTest classes of a task's Swift test files and their test methods, read from the source, for the entry
/// point autocoder compiles in place of SwiftPM's (``SwiftSealedMain``). SwiftPM finds them with the compiler's
/// index; this reader finds them by the declarations' shape, and says `nil` whenever it cannot be sure that it
/// found exactly the tests the files declare (a class nested in another type, private or generic, a test class
/// that inherits from another test class, tests it cannot place).
enum XCTestList {
    struct Suite: Hashable, Sendable {
        var name: String
        var tests: [String]
    }

    /// The classes that run tests, in the order of the files, or `nil` when unsure. `declared` is every XCTest
    /// name the files declare (``SwiftTestExecutor/declaredTests(in:)``'s rule); the classes must hold them all.
    static func suites(in files: [CodeFile], declared: Set<String>) -> [Suite]? {
        var bases: [String: String] = [:]
        var order: [String] = []
        var methods: [String: [String]] = [:]
        var hidden: Set<String> = []
        for file in files where file.path.hasSuffix(".swift") && !file.isBinary {
            let declarations = declarations(in: file.content)
            for type in declarations.classes {
                guard bases[type.name] == nil else { return nil }
                bases[type.name] = type.base
                order.append(type.name)
                if type.hidden { hidden.insert(type.name) }
            }
            for (type, method) in declarations.tests { methods[type, default: []].append(method) }
        }
        var testClasses: Set<String> = []
        for name in order where isTestClass(name, bases: bases) {
            // A class inheriting tests from another runs them too, in a way this reader does not follow.
            var ancestor = bases[name]
            while let current = ancestor, let next = bases[current] {
                if methods[current]?.isEmpty == false { return nil }
                ancestor = next
            }
            if hidden.contains(name) { return nil }
            testClasses.insert(name)
        }
        let suites = order.filter(testClasses.contains).map { Suite(name: $0, tests: methods[$0] ?? []) }
            .filter { !$0.tests.isEmpty }
        // Exactly the declared tests: one the reader did not place (nested, in a helper) means it is unsure.
        return Set(suites.flatMap(\.tests)) == declared ? suites : nil
    }

    /// Whether `name` is `XCTestCase` or a class descending from it.
    private static func isTestClass(_ name: String, bases: [String: String]) -> Bool {
        var current = name
        var seen: Set<String> = []
        while let base = bases[current], seen.insert(current).inserted {
            if base == "XCTestCase" || base == "XCTest.XCTestCase" { return true }
            current = base
        }
        return false
    }

    struct Declarations {
        /// Top-level classes with a superclass: each with the first name of its inheritance clause, and whether
        /// another file could not name it (private or generic).
        var classes: [(name: String, base: String, hidden: Bool)] = []
        /// `func testX()` declared directly in a top-level class or extension: (the type, the method).
        var tests: [(String, String)] = []
    }

    /// The top-level classes and the test methods declared directly in a top-level class or extension of
    /// `source`.
    static func declarations(in source: String) -> Declarations {
        var result = Declarations()
        // The stack of open braces: the top-level type each one opens, or nil for any other block.
        var scopes: [String?] = []
        var header = ""
        for character in SourceText.withoutCommentsAndLiterals(source) {
            switch character {
            case "{":
                let opened = typeName(opening: header)
                if let opened, opened.keyword == "class", let base = opened.base, scopes.isEmpty {
                    result.classes.append((opened.name, base, opened.isPrivate || opened.isGeneric))
                } else if opened == nil, let method = testMethod(opening: header), scopes.count == 1,
                    let type = scopes[0], !method.isStatic
                {
                    result.tests.append((type, method.name))
                }
                scopes.append(scopes.isEmpty ? opened?.name : nil)
                header = ""
            case "}":
                _ = scopes.popLast()
                header = ""
            case ";":
                header = ""
            default:
                header.append(character)
            }
        }
        return result
    }

    private static func typeName(
        opening header: String
    ) -> (keyword: String, name: String, base: String?, isPrivate: Bool, isGeneric: Bool)? {
        guard
            let match = header.firstMatch(
                of: /(?:^|\s)(class|extension|struct|enum|actor)\s+([\w.]+)\s*(<[^{]*?>)?\s*(?::\s*([\w.]+))?[^{]*$/)
        else { return nil }
        let before = header[..<match.range.lowerBound]
        if header[match.range].contains("func ") || before.contains("func ") { return nil }
        let modifiers = header[..<match.range.upperBound]
        return (
            String(match.1), String(match.2), match.4.map(String.init),
            modifiers.contains("private ") || modifiers.contains("fileprivate "), match.3 != nil
        )
    }

    private static func testMethod(opening header: String) -> (name: String, isStatic: Bool)? {
        guard let match = header.firstMatch(of: /(?:^|\s)((?:static|class)\s+)?func\s+(test\w*)\s*\(\s*\)[^{]*$/)
        else { return nil }
        return (String(match.2), match.1 != nil)
    }

}
