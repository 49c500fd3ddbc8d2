import Testing
@testable import Solution

@Test func findsEveryElement() {
    let values = [1, 3, 5, 7, 9, 11]
    for (index, value) in values.enumerated() { #expect(binarySearch(values, value) == index) }
}
@Test func absentValues() {
    #expect(binarySearch([1, 3, 5], 4) == nil)
    #expect(binarySearch([1, 3, 5], 0) == nil)
    #expect(binarySearch([1, 3, 5], 6) == nil)
    #expect(binarySearch([], 1) == nil)
}
