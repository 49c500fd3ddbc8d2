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
        let kind = event.level >= .error ? "error" : "warning"
        Terminal.note("autocoder: \(kind): \(event.message)")
    }
}
