import Intervals
import XCTest

final class IntervalsTests: XCTestCase {
    func testCount() {
        XCTAssertEqual(Interval(3, 1).count, 3)
    }

    func testIntervalsThatTouchAtAnEndOverlap() {
        XCTAssertTrue(Interval(1, 3).overlaps(Interval(3, 5)))
    }

    func testMergeJoinsTouchingIntervals() {
        XCTAssertEqual(merged([Interval(5, 7), Interval(1, 3), Interval(3, 4)]), [Interval(1, 4), Interval(5, 7)])
    }
}
