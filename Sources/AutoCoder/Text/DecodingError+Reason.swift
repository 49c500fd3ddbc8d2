import Foundation

extension DecodingError {
    /// What is wrong with a JSON document, naming the field: "'dataset' is missing", "'results.0.solved' has the
    /// wrong type", "it is not JSON" (Foundation's own description names none: "The data is missing").
    public var reason: String {
        func name(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch self {
        case .keyNotFound(let key, let context): return "'\(name(context.codingPath + [key]))' is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "'\(name(context.codingPath))' has the wrong type"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "it is not JSON" : "'\(name(context.codingPath))' cannot be read"
        @unknown default: return localizedDescription
        }
    }
}
