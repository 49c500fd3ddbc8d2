import AutoCoder
import Testing

@Suite struct FeedbackFormatterTests {
    func failing(_ count: Int, detailsLength: Int = 500) -> TestResult {
        TestResult(
            outcome: .failed,
            tests: (1...count).map {
                TestCase(
                    name: "test_\($0)", outcome: .failed, message: "assert \($0) == 0",
                    details: String(repeating: "x", count: detailsLength))
            } + [TestCase(name: "test_green", outcome: .passed)])
    }

    @Test func namesTheFailuresAndNotThePasses() {
        let text = FeedbackFormatter().render(failing(2))
        #expect(text.contains("failed: 1 passed, 2 failed"))
        #expect(text.contains("FAILED test_1\nassert 1 == 0"))
        #expect(text.contains("FAILED test_2"))
        #expect(!text.contains("test_green"))
    }

    @Test func staysWithinItsBudgetButKeepsEveryName() {
        let text = FeedbackFormatter(characterBudget: 1_000).render(failing(20))
        #expect(text.count <= 1_100)
        for index in 1...20 { #expect(text.contains("test_\(index)")) }
        #expect(text.contains("left out"))
    }

    @Test func keepsTheEndOfLongTracebacks() {
        let details = (1...100).map { "line \($0)" }.joined(separator: "\n")
        let result = TestResult(outcome: .failed, tests: [TestCase(name: "t", outcome: .failed, details: details)])
        let text = FeedbackFormatter(detailLines: 5).render(result)
        #expect(text.contains("line 100"))
        #expect(!text.contains("line 50\n"))
        #expect(text.contains("95 earlier lines cut"))
    }

    @Test func explainsATimeout() {
        let text = FeedbackFormatter().render(TestResult(outcome: .timeout, message: "did not finish within 5 s"))
        #expect(text.contains("did not finish within 5 s"))
        #expect(text.contains("infinite loop"))
    }
}
