import Foundation

/// The one JSON style of every document autocoder writes and reads: keys in snake_case, and every key written, an
/// absent optional as `null`.
///
/// A type states its fields and nothing else: its synthesized `Codable` conformance is styled here, so
/// `var costUSD: Double?` is written `"cost_usd": null` and read back from `"cost_usd"`. A `CodingKeys` enum is needed
/// only where the document's name is not the property's name in snake_case (`case environment = "env"`). Dictionary
/// keys (file names, variable names) are data and are kept as they are.
public enum JSONDocument {
    /// An encoder in the document style: sorted keys, slashes unescaped, dates in ISO 8601.
    public static func encoder(
        formatting: JSONEncoder.OutputFormatting = [.sortedKeys, .withoutEscapingSlashes],
        dates: JSONEncoder.DateEncodingStrategy = .iso8601
    ) -> DocumentEncoder {
        let json = JSONEncoder()
        json.outputFormatting = formatting
        json.dateEncodingStrategy = dates
        return DocumentEncoder(json: json)
    }

    /// A decoder in the document style, dates in ISO 8601.
    public static func decoder(dates: JSONDecoder.DateDecodingStrategy = .iso8601) -> DocumentDecoder {
        let json = JSONDecoder()
        json.dateDecodingStrategy = dates
        return DocumentDecoder(json: json)
    }

    /// `name` in snake_case: a word starts at each capital, and a run of capitals is one word
    /// (`costUSD` → `cost_usd`, `baseURLPath` → `base_url_path`). A name already in snake_case is kept.
    public static func snakeCase(_ name: String) -> String {
        let characters = Array(name)
        var result = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previous = characters[index - 1]
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                let startsWord = !previous.isUppercase || (next?.isLowercase ?? false)
                if startsWord, previous != "_" { result.append("_") }
            }
            result.append(contentsOf: character.lowercased())
        }
        return result
    }
}

/// Writes values in the ``JSONDocument`` style.
public struct DocumentEncoder: Sendable {
    /// The Foundation encoder underneath: its formatting and date strategy apply.
    public let json: JSONEncoder

    public func encode(_ value: some Encodable) throws -> Data {
        try json.encode(Styled(value))
    }

    /// The document as text.
    public func string(_ value: some Encodable) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }
}

/// Reads values in the ``JSONDocument`` style.
public struct DocumentDecoder: Sendable {
    /// The Foundation decoder underneath: its date strategy applies.
    public let json: JSONDecoder

    public func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try json.decode(Styled<T>.self, from: data).value
    }

    public func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try decode(type, from: Data(text.utf8))
    }
}

/// A value coded in the document style. Foundation's own leaves (dates, data, URLs, decimals) go to the Foundation
/// coder as they are, so its strategies apply; a dictionary keyed by strings keeps its keys and styles its values;
/// anything else is coded through the styled containers.
struct Styled<Value> {
    var value: Value
    init(_ value: Value) { self.value = value }

    static var isFoundationLeaf: Bool {
        Value.self is Date.Type || Value.self is Data.Type || Value.self is URL.Type || Value.self is Decimal.Type
    }
}

extension Styled: Encodable where Value: Encodable {
    func encode(to encoder: any Encoder) throws {
        if Self.isFoundationLeaf {
            var container = encoder.singleValueContainer()
            try container.encode(value)
        } else if let dictionary = value as? any StringKeyedEncodable {
            try dictionary.encodeStyledValues(to: encoder)
        } else {
            try value.encode(to: StyledEncoder(base: encoder))
        }
    }
}

extension Styled: Decodable where Value: Decodable {
    init(from decoder: any Decoder) throws {
        if Self.isFoundationLeaf {
            value = try decoder.singleValueContainer().decode(Value.self)
        } else if let dictionary = Value.self as? any StringKeyedDecodable.Type {
            value = try dictionary.decodeStyledValues(from: decoder) as! Value
        } else {
            value = try Value(from: StyledDecoder(base: decoder))
        }
    }
}

/// A dictionary whose keys are strings: its keys are data, not field names.
protocol StringKeyedEncodable {
    func encodeStyledValues(to encoder: any Encoder) throws
}

/// A dictionary whose keys are strings, read back.
protocol StringKeyedDecodable {
    static func decodeStyledValues(from decoder: any Decoder) throws -> Self
}

extension Dictionary: StringKeyedEncodable where Key == String, Value: Encodable {
    func encodeStyledValues(to encoder: any Encoder) throws {
        try mapValues(Styled.init).encode(to: encoder)
    }
}

extension Dictionary: StringKeyedDecodable where Key == String, Value: Decodable {
    static func decodeStyledValues(from decoder: any Decoder) throws -> Self {
        try [String: Styled<Value>](from: decoder).mapValues(\.value)
    }
}
