import Foundation

/// Reads a `text/event-stream` body as it arrives, in pieces cut anywhere: in the middle of a line, of a field
/// name, or of a UTF-8 sequence.
///
/// Lines end with LF, CR LF or CR. A line starting with `:` is a comment. `data:` lines accumulate (joined with
/// newlines) and `event:` sets the type; a blank line dispatches the event. Other fields (`id:`, `retry:`) are read
/// and ignored. Bytes are split into lines before they are decoded, so a character split across two pieces is
/// whole when its line is decoded.
public struct ServerSentEventParser: Sendable {
    private var pending: [UInt8] = []
    private var skipLineFeed = false
    private var eventType = ""
    private var dataLines: [String] = []
    private var hasData = false

    public init() {}

    /// The events completed by `chunk`.
    public mutating func feed(_ chunk: Data) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in chunk {
            if skipLineFeed {
                skipLineFeed = false
                if byte == 0x0A { continue }
            }
            switch byte {
            case 0x0A, 0x0D:
                skipLineFeed = byte == 0x0D
                if let event = line(String(decoding: pending, as: UTF8.self)) { events.append(event) }
                pending.removeAll(keepingCapacity: true)
            default:
                pending.append(byte)
            }
        }
        return events
    }

    /// The event left when the stream ends without a final blank line, if any.
    public mutating func finish() -> ServerSentEvent? {
        if !pending.isEmpty {
            _ = line(String(decoding: pending, as: UTF8.self))
            pending.removeAll()
        }
        return dispatch()
    }

    private mutating func line(_ text: String) -> ServerSentEvent? {
        if text.isEmpty { return dispatch() }
        if text.hasPrefix(":") { return nil }
        let field: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            field = Substring(text)
            value = ""
        }
        switch field {
        case "data":
            dataLines.append(String(value))
            hasData = true
        case "event":
            eventType = String(value)
        default:
            break
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            eventType = ""
            dataLines = []
            hasData = false
        }
        guard hasData else { return nil }
        return ServerSentEvent(
            event: eventType.isEmpty ? "message" : eventType, data: dataLines.joined(separator: "\n"))
    }
}
