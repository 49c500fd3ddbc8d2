import AutoCoderExecution
import Foundation
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

    /// The seal's lines survive any amount of other output: those the cap cut come back whole, in order, once.
    @Test func pinnedLinesInTheCutComeBackWhole() {
        var output = CapturedOutput(limit: 64, pinning: "@seal")
        let padding = String(repeating: "x", count: 50) + "\n"
        var stream = padding + padding
        stream += "@seal S case failed 61\n" + padding + "noise @seal S body failed 61\n" + padding + padding
        stream += "@seal S end 1\n"
        var bytes = Array(stream.utf8)[...]
        for size in [7, 13, 1, 64, 3, 29] where !bytes.isEmpty {  // chunks that split lines and the marker
            output.append(Array(bytes.prefix(size)))
            bytes = bytes.dropFirst(size)
        }
        output.append(Array(bytes))
        let text = output.text
        #expect(output.isTruncated)
        for line in ["@seal S case failed 61", "noise @seal S body failed 61", "@seal S end 1"] {
            #expect(text.components(separatedBy: line + "\n").count - 1 == 1, "\(line) in:\n\(text)")
        }
        #expect(text.range(of: "case failed")!.lowerBound < text.range(of: "body failed")!.lowerBound)
    }

    @Test func unpinnedOutputIsCutAsBefore() {
        var output = CapturedOutput(limit: 10)
        output.append(Array("abcdefgh\n@seal x\nijklmnopqrstuvwxyz".utf8))
        #expect(!output.text.contains("@seal"))
    }

    @Test func moreThanAMegabyteOfPinnedLinesSaysItOverflowed() {
        var output = CapturedOutput(limit: 1024, pinning: "@seal")
        let line = Array(("@seal " + String(repeating: "f", count: 1000) + "\n").utf8)
        for _ in 0..<1200 { output.append(line) }
        #expect(output.text.contains("@seal overflow\n"))
    }
}
