import Logging

/// What the library modules log, as a user reads it: warnings and errors as one plain `autocoder: warning: …`
/// line on stderr (no timestamp, no logger label); anything quieter is dropped.
struct PlainLogHandler: LogHandler {
    var logLevel: Logger.Level = .warning
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        Terminal.note(Self.line(level: event.level, message: "\(event.message)"))
    }

    /// The line a user reads: `autocoder: warning: …`, no timestamp, no label.
    static func line(level: Logger.Level, message: String) -> String {
        "autocoder: \(level >= .error ? "error" : "warning"): \(message)"
    }
}
