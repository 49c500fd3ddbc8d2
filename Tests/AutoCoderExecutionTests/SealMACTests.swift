import AutoCoder
import Foundation
import Testing

@testable import AutoCoderExecution

/// The coded seal lines: SHA-256 and HMAC-SHA-256 against published vectors, and a line that is changed, dropped,
/// repeated or made up is caught.
@Suite struct SealMACTests {
    @Test func sha256AndHMACMatchTheirPublishedVectors() {
        let abc = SealMAC.sha256(Array("abc".utf8)).map {
            $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16)
        }
        #expect(abc.joined() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let empty = SealMAC.sha256([]).map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
        #expect(empty.joined() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // RFC 4231, test case 2.
        #expect(
            SealMAC.hex(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // A key longer than a block is hashed first (RFC 4231, test case 6).
        #expect(
            SealMAC.hex(
                key: [UInt8](repeating: 0xaa, count: 131),
                message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    func line(_ seal: VerdictSeal, _ number: Int, _ words: String) -> String {
        let code = SealMAC.hex(key: Array(seal.secret.utf8), message: Array("\(number) \(words)".utf8)).prefix(32)
        return "\n\(VerdictSeal.marker) \(number) \(code) \(words)\n"
    }

    @Test func codedLinesAreCheckedAndReadAsThePlainSeal() {
        let seal = VerdictSeal()
        let good =
            "noise" + line(seal, 0, "start") + "more noise" + line(seal, 1, "case failed 61") + line(seal, 2, "end 1")
        let verified = seal.verified(good)
        #expect(verified.problem == nil)
        #expect(seal.read(verified.text).ends == [1])
        #expect(seal.read(verified.text).cases.map(\.outcome) == [.failed])

        let changed = good.replacingOccurrences(of: "case failed 61", with: "case passed 61")
        #expect(seal.verified(changed).problem?.contains("code") == true)
        let dropped = line(seal, 0, "start") + line(seal, 2, "end 1")
        #expect(seal.verified(dropped).problem?.contains("missing") == true)
        let repeated = line(seal, 0, "start") + line(seal, 0, "start")
        #expect(seal.verified(repeated).problem?.contains("twice") == true)
        let other = VerdictSeal()
        #expect(seal.verified(line(other, 0, "end 0")).problem != nil, "another run's secret")
        #expect(seal.verified("\n@autocoder-seal forged\n").problem != nil)
    }
}
