import Foundation
import Testing

@testable import DigitSum

// swift-format-ignore: AlwaysUseLowerCamelCase
let RUNALL = Bool(ProcessInfo.processInfo.environment["RUNALL", default: "false"]) ?? false

@Suite struct DigitSumTests {
    @Test("zero") func testZero() { #expect(digitSum(0) == 0) }

    @Test("several digits", .enabled(if: RUNALL)) func testSeveralDigits() { #expect(digitSum(1234) == 10) }
}
