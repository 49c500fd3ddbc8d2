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

    @Test func oneLargeChunkKeepsItsEnds() {
        var output = CapturedOutput(limit: 4)
        output.append(Array("0123456789".utf8))
        #expect(output.text.hasPrefix("01\n"))
        #expect(output.text.hasSuffix("\n89"))
    }
}
