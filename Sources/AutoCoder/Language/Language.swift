/// The name of a task's language (`python`, `swift`): what a task records and a registry looks up.
///
/// The core knows no language by name. What a language means (its files, its prompts' wording, how its tests run)
/// comes from the ``LanguageRules`` a registry gives for the name.
public struct Language: RawRepresentable, Hashable, Codable, Sendable, Comparable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The name, in lower case.
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue.lowercased()
    }

    public init(_ name: String) {
        self.init(rawValue: name)
    }

    public init(stringLiteral name: String) {
        self.init(rawValue: name)
    }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: Language, rhs: Language) -> Bool { lhs.rawValue < rhs.rawValue }
}
