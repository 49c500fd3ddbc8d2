import Foundation

/// Splits a Markdown document into its YAML front matter (between `---` lines at the top) and its body.
enum FrontMatter {
    /// CR LF and CR line ends and a leading byte-order mark are accepted (Swift reads "\r\n" as one character, so
    /// splitting on "\n" alone never split such a file). Front matter that is not at the very top is refused.
    static func split(_ text: String, file: String) throws -> (frontMatter: String?, body: String) {
        var text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == "---" else {
            if let first = lines.first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }), first == "---" {
                throw InputError(
                    "\(file) has a '---' line after blank lines: front matter must start on the first line.")
            }
            return (nil, text)
        }
        guard let end = lines.dropFirst().firstIndex(where: { $0 == "---" || $0 == "..." }) else {
            throw InputError("\(file) opens its front matter with '---' but never closes it with another '---' line.")
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        let body = lines[(end + 1)...].joined(separator: "\n")
        return (yaml, body)
    }
}
