import AutoCoderLLM
import Foundation
import Testing

@Suite struct ServerSentEventParserTests {
    /// Feeds `text` cut into pieces of `size` bytes and returns every event.
    func events(_ text: String, pieceSize size: Int) -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        let bytes = Data(text.utf8)
        var events: [ServerSentEvent] = []
        for start in stride(from: 0, to: bytes.count, by: size) {
            events += parser.feed(bytes.subdata(in: start..<min(start + size, bytes.count)))
        }
        if let last = parser.finish() { events.append(last) }
        return events
    }

    static let stream = """
        : a comment the client ignores
        event: delta
        data: {"text": "héllo 🚀"}

        data: first line
        data: second line

        id: 7
        retry: 100
        data:no space after the colon

        data: [DONE]


        """

    static let expected = [
        ServerSentEvent(event: "delta", data: #"{"text": "héllo 🚀"}"#),
        ServerSentEvent(data: "first line\nsecond line"),
        ServerSentEvent(data: "no space after the colon"),
        ServerSentEvent(data: "[DONE]"),
    ]

    @Test(arguments: [1, 2, 3, 5, 8, 13, 1000])
    func eventsSurviveAnyChunkBoundary(_ size: Int) {
        #expect(events(Self.stream, pieceSize: size) == Self.expected)
    }

    @Test(arguments: [1, 2, 7])
    func carriageReturnLineEndingsAreLineEndings(_ size: Int) {
        let crlf = Self.stream.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(events(crlf, pieceSize: size) == Self.expected)
        let cr = Self.stream.replacingOccurrences(of: "\n", with: "\r")
        #expect(events(cr, pieceSize: size) == Self.expected)
    }

    @Test func aMultiByteCharacterSplitAcrossChunksIsWhole() {
        let bytes = Array("data: 🚀é\n\n".utf8)
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        // Split inside the four bytes of the rocket and the two of the é.
        for cut in [[0, 7], [7, 9], [9, 11], [11, 12], [12, bytes.count]] {
            events += parser.feed(Data(bytes[cut[0]..<cut[1]]))
        }
        #expect(events == [ServerSentEvent(data: "🚀é")])
    }

    @Test func anEventWithoutDataIsNotDispatched() {
        #expect(events("event: ping\n\n: only a comment\n\n", pieceSize: 4).isEmpty)
    }

    @Test func theLastEventIsKeptWhenTheStreamEndsWithoutABlankLine() {
        #expect(events("data: tail", pieceSize: 3) == [ServerSentEvent(data: "tail")])
    }
}
