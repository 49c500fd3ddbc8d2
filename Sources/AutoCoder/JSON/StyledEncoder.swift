import Foundation

/// An encoder over Foundation's that writes the ``JSONDocument`` style: each key of a keyed container in snake_case,
/// an absent optional as `null`, and every nested value styled the same way.
struct StyledEncoder: Encoder {
    let base: any Encoder
    var codingPath: [any CodingKey] { base.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { base.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(StyledKeyedEncoding<Key>(base: base.container(keyedBy: DocumentKey.self)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        StyledUnkeyedEncoding(base: base.unkeyedContainer())
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        StyledSingleValueEncoding(base: base.singleValueContainer())
    }
}

/// A key as the document spells it.
struct DocumentKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { (stringValue, self.intValue) = (String(intValue), intValue) }
    init(_ key: some CodingKey) {
        stringValue = JSONDocument.snakeCase(key.stringValue)
        intValue = key.intValue
    }
}

struct StyledKeyedEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    var base: KeyedEncodingContainer<DocumentKey>
    var codingPath: [any CodingKey] { base.codingPath }

    mutating func encodeNil(forKey key: Key) throws { try base.encodeNil(forKey: DocumentKey(key)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: String, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try put(value, key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try base.encode(Styled(value), forKey: DocumentKey(key))
    }

    // An absent optional is written as `null`, not left out.
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try putOrNull(value, key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try putOrNull(value, key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try putOrNull(value, key) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try putOrNull(value, key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try putOrNull(value, key) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try putOrNull(value, key) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try putOrNull(value, key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try putOrNull(value, key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try putOrNull(value, key) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try putOrNull(value, key) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try putOrNull(value, key) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try putOrNull(value, key) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try putOrNull(value, key) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try putOrNull(value, key) }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { try putOrNull(value, key) }

    private mutating func put(_ value: some Encodable, _ key: Key) throws {
        try base.encode(value, forKey: DocumentKey(key))
    }

    private mutating func putOrNull<T: Encodable>(_ value: T?, _ key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(
            StyledKeyedEncoding<NestedKey>(
                base: base.nestedContainer(keyedBy: DocumentKey.self, forKey: DocumentKey(key))))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        StyledUnkeyedEncoding(base: base.nestedUnkeyedContainer(forKey: DocumentKey(key)))
    }

    mutating func superEncoder() -> any Encoder { StyledEncoder(base: base.superEncoder()) }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        StyledEncoder(base: base.superEncoder(forKey: DocumentKey(key)))
    }
}

struct StyledUnkeyedEncoding: UnkeyedEncodingContainer, StyledValueEncoding {
    var base: any UnkeyedEncodingContainer
    var codingPath: [any CodingKey] { base.codingPath }
    var count: Int { base.count }

    mutating func encodeNil() throws { try base.encodeNil() }
    mutating func put(_ value: some Encodable) throws { try base.encode(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(StyledKeyedEncoding<NestedKey>(base: base.nestedContainer(keyedBy: DocumentKey.self)))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        StyledUnkeyedEncoding(base: base.nestedUnkeyedContainer())
    }

    mutating func superEncoder() -> any Encoder { StyledEncoder(base: base.superEncoder()) }
}

struct StyledSingleValueEncoding: SingleValueEncodingContainer, StyledValueEncoding {
    var base: any SingleValueEncodingContainer
    var codingPath: [any CodingKey] { base.codingPath }

    mutating func encodeNil() throws { try base.encodeNil() }
    mutating func put(_ value: some Encodable) throws { try base.encode(value) }
}

/// The writes an unkeyed and a single-value container share: a primitive goes to the container underneath as it is,
/// anything else styled.
protocol StyledValueEncoding {
    mutating func put(_ value: some Encodable) throws
}

extension StyledValueEncoding {
    mutating func encode(_ value: Bool) throws { try put(value) }
    mutating func encode(_ value: String) throws { try put(value) }
    mutating func encode(_ value: Double) throws { try put(value) }
    mutating func encode(_ value: Float) throws { try put(value) }
    mutating func encode(_ value: Int) throws { try put(value) }
    mutating func encode(_ value: Int8) throws { try put(value) }
    mutating func encode(_ value: Int16) throws { try put(value) }
    mutating func encode(_ value: Int32) throws { try put(value) }
    mutating func encode(_ value: Int64) throws { try put(value) }
    mutating func encode(_ value: UInt) throws { try put(value) }
    mutating func encode(_ value: UInt8) throws { try put(value) }
    mutating func encode(_ value: UInt16) throws { try put(value) }
    mutating func encode(_ value: UInt32) throws { try put(value) }
    mutating func encode(_ value: UInt64) throws { try put(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try put(Styled(value)) }
}
