/// The languages a program knows, looked up by name or by file: a value handed to what loads tasks and reads
/// replies (the toolchain registry builds it), never a global.
public struct LanguageCatalog: Sendable {
    /// Every language, the default (for tests whose files say nothing) first.
    public let all: [any LanguageRules]

    public init(_ all: [any LanguageRules]) {
        self.all = all
    }

    /// A catalog of no language: replies are read without any language's knowledge.
    public static let none = LanguageCatalog([])

    /// The rules of `language`, or `nil` when it is not known here.
    public func rules(for language: Language) -> (any LanguageRules)? {
        all.first { $0.language == language }
    }

    /// The rules of `language`, or an ``InputError`` that lists the known names.
    public func require(_ language: Language, origin: String = "") throws -> any LanguageRules {
        if let rules = rules(for: language) { return rules }
        let prefix = origin.isEmpty ? "" : origin + ": "
        throw InputError("\(prefix)language must be one of \(names) (it is '\(language)').")
    }

    /// The language whose source files end like `path`, or `nil`.
    public func language(ofFile path: String) -> Language? {
        rules(forFile: path)?.language
    }

    /// The rules of the language whose source files end like `path`, or `nil`.
    public func rules(forFile path: String) -> (any LanguageRules)? {
        all.first { $0.isSource(path) }
    }

    /// The language the files are written in, when they are all of one.
    public func language(of files: [CodeFile]) -> Language? {
        let found = Set(files.compactMap { language(ofFile: $0.path) })
        return found.count == 1 ? found.first : nil
    }

    /// Every language's source extensions.
    public var sourceExtensions: Set<String> { Set(all.flatMap(\.fileExtensions)) }

    /// The names, for messages: `python, swift`.
    public var names: String { all.map(\.language.rawValue).joined(separator: ", ") }
}
