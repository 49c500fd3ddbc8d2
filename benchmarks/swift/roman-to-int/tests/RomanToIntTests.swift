import XCTest
@testable import Solution

final class RomanToIntTests: XCTestCase {
    func testAdditive() { XCTAssertEqual(romanToInt("III"), 3) }
    func testSubtractive() { XCTAssertEqual(romanToInt("IX"), 9) }
    func testMixed() { XCTAssertEqual(romanToInt("MCMXCIV"), 1994) }
    func testLargest() { XCTAssertEqual(romanToInt("MMMCMXCIX"), 3999) }
}
