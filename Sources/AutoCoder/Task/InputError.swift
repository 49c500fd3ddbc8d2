import Foundation

/// Input that autocoder cannot use: a missing task directory, an unreadable file, invalid front matter.
///
/// Its message names the file and says what to change.
public struct InputError: Error, LocalizedError, Hashable, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var errorDescription: String? { message }
}
