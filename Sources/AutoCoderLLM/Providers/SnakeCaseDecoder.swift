import Foundation

/// Decodes the APIs' snake_case JSON into camelCase properties.
var snakeCaseDecoder: JSONDecoder {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return decoder
}
