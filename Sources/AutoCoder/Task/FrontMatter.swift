/// Splits a Markdown document into its YAML front matter (between `---` lines at the top) and its body.
enum FrontMatter {
    static func split(_ text: String, file: String) throws -> (frontMatter: String?, body: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
        guard lines.first == "---" else { return (nil, text) }
        guard let end = lines.dropFirst().firstIndex(where: { $0 == "---" || $0 == "..." }) else {
            throw InputError("\(file) opens its front matter with '---' but never closes it with another '---' line.")
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        let body = lines[(end + 1)...].joined(separator: "\n")
        return (yaml, body)
    }
}
