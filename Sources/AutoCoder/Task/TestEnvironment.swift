/// Variables a task passes to its tests (`env:` in the front matter, `--env KEY=VALUE`): the tests see them on top
/// of the allowlisted environment; nothing else does. A name that looks like a secret is refused, since whatever
/// the tests can read, the code under test can read and print into feedback that goes to a model provider.
public enum TestEnvironment {
    /// Name patterns that are refused: `*_KEY`, `*_TOKEN`, `*SECRET*`, `*PASSWORD*`, `*CREDENTIAL*` (any case).
    public static func looksSecret(_ name: String) -> Bool {
        let upper = name.uppercased()
        return upper.hasSuffix("_KEY") || upper.hasSuffix("_TOKEN") || upper == "TOKEN" || upper == "KEY"
            || upper.contains("SECRET") || upper.contains("PASSWORD") || upper.contains("CREDENTIAL")
            || upper.hasSuffix("_ACCESS_KEY_ID")
    }

    /// Names autocoder sets for every run itself.
    public static let reserved: Set<String> = ["HOME", "TMPDIR", "PATH"]

    /// Checks one variable.
    /// - Throws: ``InputError`` for a name that is not an identifier, is reserved, or looks like a secret.
    public static func check(_ name: String, origin: String) throws {
        guard let first = name.first, first == "_" || first.isASCII && first.isLetter,
            name.allSatisfy({ $0 == "_" || $0.isASCII && ($0.isLetter || $0.isNumber) })
        else {
            throw InputError("\(origin): '\(name)' is not a variable name (letters, digits and _, not first a digit).")
        }
        if reserved.contains(name) {
            throw InputError("\(origin): \(name) is set by autocoder for every run and cannot be given to the tests.")
        }
        if looksSecret(name) {
            throw InputError(
                "\(origin): \(name) looks like a secret (*_KEY, *_TOKEN, *SECRET*, *PASSWORD*), and is refused: "
                    + "code under test could read it and print it into the feedback sent to the model.")
        }
    }

    /// `KEY=VALUE` as given to `--env`.
    /// - Throws: ``InputError`` without `=`, or for a name ``check(_:origin:)`` refuses.
    public static func parse(_ assignment: String) throws -> (name: String, value: String) {
        guard let equals = assignment.firstIndex(of: "=") else {
            throw InputError("--env takes KEY=VALUE (it is '\(assignment)').")
        }
        let name = String(assignment[..<equals])
        try check(name, origin: "--env")
        return (name, String(assignment[assignment.index(after: equals)...]))
    }
}
