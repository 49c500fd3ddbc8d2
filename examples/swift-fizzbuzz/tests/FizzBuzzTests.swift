import XCTest
@testable import Solution

final class FizzBuzzTests: XCTestCase {
    func testFirstFifteen() {
        XCTAssertEqual(
            fizzbuzz(15),
            ["1", "2", "Fizz", "4", "Buzz", "Fizz", "7", "8", "Fizz", "Buzz", "11", "Fizz", "13", "14", "FizzBuzz"])
    }

    func testEmpty() {
        XCTAssertEqual(fizzbuzz(0), [])
    }
}
