import Foundation

/// Where the CLI writes: documents and code on stdout, progress and errors on stderr.
///
/// Writes use the throwing API and ignore failures: a reader that has gone (`autocoder … | head`) must not turn
/// into a crash with a stack trace.
enum Terminal {
    static func out(_ text: String) {
        raw(text + "\n", to: .standardOutput)
    }

    /// Progress and notes for the person watching.
    static func note(_ text: String) {
        raw(text + "\n", to: .standardError)
    }

    static func error(_ text: String) {
        note("autocoder: error: \(text)")
    }

    /// Writes `text` as it is.
    static func raw(_ text: String, to handle: FileHandle) {
        try? handle.write(contentsOf: Data(text.utf8))
    }

    /// Prints `value` as one pretty-printed JSON document on stdout.
    static func json(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        out(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
