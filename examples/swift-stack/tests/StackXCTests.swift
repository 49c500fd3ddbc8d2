import XCTest
@testable import Stacks

final class StackXCTests: XCTestCase {
    func testPushAndPopAreLastInFirstOut() {
        var stack = Stack<Int>()
        stack.push(1)
        stack.push(2)
        XCTAssertEqual(stack.pop(), 2)
        XCTAssertEqual(stack.pop(), 1)
        XCTAssertNil(stack.pop())
    }
}
