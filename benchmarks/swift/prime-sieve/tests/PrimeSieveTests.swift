import Testing
@testable import Solution

@Test func smallPrimes() { #expect(primes(upTo: 30) == [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]) }
@Test func edges() {
    #expect(primes(upTo: 1).isEmpty)
    #expect(primes(upTo: 2) == [2])
}
@Test func manyPrimes() { #expect(primes(upTo: 1_000_000).count == 78_498) }
