import Testing
@testable import Solution

@Test func greatestCommonDivisor() {
    #expect(gcd(12, 18) == 6)
    #expect(gcd(17, 5) == 1)
    #expect(gcd(0, 7) == 7)
    #expect(gcd(0, 0) == 0)
}
@Test func leastCommonMultiple() {
    #expect(lcm(4, 6) == 12)
    #expect(lcm(0, 5) == 0)
}
