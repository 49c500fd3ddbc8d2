import AutoCoderExecution
import Testing

@Suite struct CapturedOutputTests {
    @Test func keepsEverythingUnderTheLimit() {
        var output = CapturedOutput(limit: 100)
        output.append(Array("hello ".utf8))
        output.append(Array("world".utf8))
        #expect(output.text == "hello world")
        #expect(!output.isTruncated)
    }

    @Test func keepsHeadAndTailWithAMarker() {
        var output = CapturedOutput(limit: 10)
        for chunk in ["abc", "defgh", "ijklmnop", "qrstuvwxyz"] { output.append(Array(chunk.utf8)) }
        #expect(output.totalBytes == 26)
        #expect(output.isTruncated)
        #expect(output.text.hasPrefix("abcde\n"))
        #expect(output.text.hasSuffix("\nvwxyz"))
        #expect(output.text.contains("16 bytes of output cut"))
    }

    @Test func manyChunksWrapTheRingInOrder() {
        var output = CapturedOutput(limit: 8)
        let text = (0..<50).map { String($0 % 10) }.joined()
        var index = text.startIndex
        for size in [1, 3, 2, 5, 4, 1, 7, 3, 6, 2, 9, 7] where index < text.endIndex {
            let end = text.index(index, offsetBy: size, limitedBy: text.endIndex) ?? text.endIndex
            output.append(Array(text[index..<end].utf8))
            index = end
        }
        #expect(output.text.hasPrefix("0123\n"))
        #expect(
            output.text.hasSuffix("\n" + String(text.prefix(text.distance(from: text.startIndex, to: index)).suffix(4)))
        )
    }

    @Test func oneLargeChunkKeepsItsEnds() {
        var output = CapturedOutput(limit: 4)
        output.append(Array("0123456789".utf8))
        #expect(output.text.hasPrefix("01\n"))
        #expect(output.text.hasSuffix("\n89"))
    }
}
