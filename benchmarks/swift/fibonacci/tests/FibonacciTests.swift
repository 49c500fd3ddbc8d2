import XCTest
@testable import Solution

final class FibonacciTests: XCTestCase {
    func testSmall() { XCTAssertEqual((0...10).map(fibonacci), [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55]) }
    func testLarge() { XCTAssertEqual(fibonacci(90), 2_880_067_194_370_816_120) }
}
