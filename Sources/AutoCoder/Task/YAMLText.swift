import Yams

/// Loads YAML (or JSON, which it includes) into plain values, turning parse errors into one-line ``InputError``s.
enum YAMLText {
    /// The value `text` holds, or an ``InputError`` that starts with `context` and gives the parser's first line.
    static func load(_ text: String, context: String) throws -> Any? {
        do {
            return try Yams.load(yaml: text)
        } catch {
            let reason = String(describing: error).split(separator: "\n").first.map(String.init) ?? "unreadable"
            throw InputError("\(context): \(reason)")
        }
    }
}
