/// The output of a stream kept within a byte cap: the first half of the cap and the last half, with the count of
/// what was cut between them.
public struct CapturedOutput: Hashable, Sendable {
    /// The most bytes kept.
    public let limit: Int
    private(set) var head: [UInt8] = []
    private var tail: [UInt8] = []
    private var tailStart = 0
    /// Every byte seen, kept or not.
    public private(set) var totalBytes = 0

    public init(limit: Int) {
        self.limit = max(limit, 2)
    }

    /// Whether some bytes were cut.
    public var isTruncated: Bool { totalBytes > limit }

    /// Adds bytes read from the stream.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        var remaining = bytes[...]
        let headLimit = limit / 2
        if head.count < headLimit {
            let take = min(headLimit - head.count, remaining.count)
            head.append(contentsOf: remaining.prefix(take))
            remaining = remaining.dropFirst(take)
        }
        totalBytes += bytes.count
        appendToTail(remaining)
    }

    /// Adds bytes read from the stream.
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The kept text, with a line marking the cut when bytes were cut.
    public var text: String {
        guard isTruncated else { return String(decoding: head + orderedTail, as: UTF8.self) }
        let cut = totalBytes - head.count - tail.count
        return String(decoding: head, as: UTF8.self)
            + "\n[… \(cut) bytes of output cut; the first and last \(limit / 2) bytes are kept …]\n"
            + String(decoding: orderedTail, as: UTF8.self)
    }

    private var tailLimit: Int { limit - limit / 2 }

    private var orderedTail: [UInt8] {
        Array(tail[tailStart...] + tail[..<tailStart])
    }

    /// Keeps the last `tailLimit` bytes in a ring buffer, copying in whole slices (never byte by byte: a program
    /// printing megabytes must not slow the reader down).
    private mutating func appendToTail(_ bytes: Slice<UnsafeRawBufferPointer>) {
        guard !bytes.isEmpty else { return }
        if bytes.count >= tailLimit {
            tail = Array(bytes.suffix(tailLimit))
            tailStart = 0
            return
        }
        var remaining = bytes[...]
        if tail.count < tailLimit {
            let room = min(tailLimit - tail.count, remaining.count)
            tail.append(contentsOf: remaining.prefix(room))
            remaining = remaining.dropFirst(room)
        }
        while !remaining.isEmpty {
            let count = min(remaining.count, tailLimit - tailStart)
            tail.replaceSubrange(tailStart..<(tailStart + count), with: remaining.prefix(count))
            tailStart = (tailStart + count) % tailLimit
            remaining = remaining.dropFirst(count)
        }
    }
}
