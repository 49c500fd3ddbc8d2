import XCTest
@testable import Solution

final class RunLengthTests: XCTestCase {
    func testRuns() { XCTAssertEqual(runLengthEncode("aaabcc"), "3a1b2c") }
    func testSingles() { XCTAssertEqual(runLengthEncode("abc"), "1a1b1c") }
    func testLongRun() { XCTAssertEqual(runLengthEncode(String(repeating: "z", count: 12)), "12z") }
    func testEmpty() { XCTAssertEqual(runLengthEncode(""), "") }
}
