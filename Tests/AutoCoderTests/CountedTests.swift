import AutoCoder
import Testing

@Suite struct CountedTests {
    @Test func theNounAgreesWithItsCount() {
        #expect(counted(1, "iteration") == "1 iteration")
        #expect(counted(2, "iteration") == "2 iterations")
        #expect(counted(0, "reply", "replies") == "0 replies")
        #expect(counted(1, "reply", "replies") == "1 reply")
    }
}
