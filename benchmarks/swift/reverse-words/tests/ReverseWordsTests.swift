import XCTest
@testable import Solution

final class ReverseWordsTests: XCTestCase {
    func testThreeWords() { XCTAssertEqual(reverseWords("one two three"), "three two one") }
    func testOneWord() { XCTAssertEqual(reverseWords("alone"), "alone") }
    func testEmpty() { XCTAssertEqual(reverseWords(""), "") }
}
