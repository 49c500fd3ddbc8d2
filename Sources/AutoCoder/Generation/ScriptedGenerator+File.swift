import Foundation

extension ScriptedGenerator {
    /// A generator answering with the replies in a script file: a JSON array of strings, or a YAML list of strings.
    /// - Throws: ``InputError`` when the file is unreadable, empty, or not a list of strings.
    public convenience init(contentsOf url: URL, languages: LanguageCatalog = .none) throws {
        let text = try TaskLoader.readText(url)
        let loaded = try YAMLText.load(text, context: "The script \(url.path) is neither a JSON array nor a YAML list")
        guard let items = loaded as? [Any] else {
            throw InputError("The script \(url.path) must be a JSON array or YAML list of reply texts.")
        }
        guard !items.isEmpty else { throw InputError("The script \(url.path) has no replies.") }
        var replies: [String] = []
        for (index, item) in items.enumerated() {
            guard let reply = item as? String else {
                throw InputError("Reply \(index + 1) of the script \(url.path) is not a text.")
            }
            replies.append(reply)
        }
        self.init(replies: replies, languages: languages)
    }
}
