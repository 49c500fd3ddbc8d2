/// The output of a stream kept within a byte cap: the first half of the cap and the last half, with the count of
/// what was cut between them. Lines holding a pinned marker (a verdict's seal) are kept whole wherever they fall,
/// so no amount of other output can cut them away.
public struct CapturedOutput: Hashable, Sendable {
    /// The most bytes kept.
    public let limit: Int
    private(set) var head: [UInt8] = []
    private var tail: [UInt8] = []
    private var tailStart = 0
    /// Every byte seen, kept or not.
    public private(set) var totalBytes = 0
    private var pins: PinnedLines?

    /// - Parameter marker: Lines holding it are kept whole even where the cap cuts (up to a megabyte of them;
    ///   past that, the text ends with the marker followed by `overflow`).
    public init(limit: Int, pinning marker: String? = nil) {
        self.limit = max(limit, 2)
        pins = marker.map { PinnedLines(marker: Array($0.utf8)) }
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
        pins?.scan(bytes, at: totalBytes)
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
        let notice = "\n[… \(cut) bytes of output cut; the first and last \(limit / 2) bytes are kept …]\n"
        guard let pins else {
            return String(decoding: head, as: UTF8.self) + notice + String(decoding: orderedTail, as: UTF8.self)
        }
        // The lines the cut touched leave the kept parts whole; those holding the marker come back in full.
        let kept = head.lastIndex(of: 10).map { Array(head[...$0]) } ?? []
        let ordered = orderedTail
        let after = ordered.firstIndex(of: 10).map { Array(ordered[($0 + 1)...]) } ?? []
        let from = kept.count
        let to = totalBytes - after.count
        return String(decoding: kept, as: UTF8.self) + notice + pins.lines(overlapping: from..<to)
            + String(decoding: after, as: UTF8.self)
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

/// The lines of a stream that hold a marker, with where each began and ended, found as the bytes stream by.
struct PinnedLines: Hashable, Sendable {
    let marker: [UInt8]
    private var line: [UInt8] = []
    private var lineStart = 0
    private var pinned: [(start: Int, end: Int, text: String)] = []
    private var pinnedBytes = 0
    private var overflowed = false
    /// The longest line kept: a longer one keeps its last part, where a marker printed after other text sits.
    static let lineLimit = 64 << 10
    static let totalLimit = 1 << 20

    init(marker: [UInt8]) {
        self.marker = marker
    }

    static func == (left: PinnedLines, right: PinnedLines) -> Bool {
        left.marker == right.marker && left.lineStart == right.lineStart && left.pinnedBytes == right.pinnedBytes
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(marker)
        hasher.combine(pinnedBytes)
    }

    /// Reads `bytes`, which start at `offset` in the stream.
    mutating func scan(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            guard let newline = bytes[index...].firstIndex(of: 10) else {
                add(bytes[index...])
                return
            }
            add(bytes[index..<newline])
            finish(end: offset + newline)
            index = newline + 1
            lineStart = offset + index
        }
    }

    private mutating func add(_ bytes: Slice<UnsafeRawBufferPointer>) {
        line.append(contentsOf: bytes)
        if line.count > Self.lineLimit { line.removeFirst(line.count - Self.lineLimit) }
    }

    private mutating func finish(end: Int) {
        defer { line.removeAll(keepingCapacity: true) }
        guard line.firstRange(of: marker) != nil else { return }
        guard pinnedBytes + line.count <= Self.totalLimit else {
            overflowed = true
            return
        }
        pinnedBytes += line.count
        pinned.append((lineStart, end, String(decoding: line, as: UTF8.self)))
    }

    /// The pinned lines that overlap `range` of the stream, each ending in a newline; a last line saying the
    /// marker `overflow` when there were more than could be kept.
    func lines(overlapping range: Range<Int>) -> String {
        var text = ""
        for line in pinned where line.start < range.upperBound && line.end >= range.lowerBound {
            text += line.text + "\n"
        }
        if overflowed { text += String(decoding: marker, as: UTF8.self) + " overflow\n" }
        return text
    }
}
