import Foundation

/// The run store cannot be used, or what was asked of it does not exist.
public struct RunStoreError: Error, LocalizedError, Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// The file is not a SQLite database autocoder can read (or the path is a directory).
        case unreadable
        /// The file is a SQLite database of something else.
        case foreign
        /// No run has the given id (or prefix).
        case unknownRun
        /// The prefix matches several runs.
        case ambiguousRun
        /// The store cannot be written here (permissions, a read-only file system); it can still be read.
        case readOnly
        /// The file was a store and is damaged (SQLite finds it malformed).
        case damaged
        /// Reading or writing failed.
        case failed
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var errorDescription: String? { message }

    /// Whether this is the user's input at fault (an unknown id, a file that is not a store).
    public var isBadInput: Bool { [.unreadable, .foreign, .unknownRun, .ambiguousRun].contains(kind) }

    /// Whether a command that only records its run may go on without the store (saying so): the store cannot
    /// be written, or is damaged, and the run itself does not need it.
    public var allowsRunningUnrecorded: Bool { kind == .readOnly || kind == .damaged }
}
