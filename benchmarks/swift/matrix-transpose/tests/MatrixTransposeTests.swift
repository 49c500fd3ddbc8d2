import XCTest
@testable import Solution

final class MatrixTransposeTests: XCTestCase {
    func testRectangle() { XCTAssertEqual(transpose([[1, 2, 3], [4, 5, 6]]), [[1, 4], [2, 5], [3, 6]]) }
    func testSquare() { XCTAssertEqual(transpose([[1, 2], [3, 4]]), [[1, 3], [2, 4]]) }
    func testEmpty() { XCTAssertEqual(transpose([]), []) }
}
