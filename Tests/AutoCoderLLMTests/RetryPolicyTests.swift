import AutoCoderLLM
import Foundation
import Testing

@Suite struct RetryPolicyTests {
    @Test func retryAfterInSecondsOrAsADate() {
        #expect(RetryPolicy.retryAfter("3") == .seconds(3))
        #expect(RetryPolicy.retryAfter(" 1.5 ") == .milliseconds(1500))
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(RetryPolicy.retryAfter("Tue, 14 Nov 2023 22:13:30 GMT", now: now) == .seconds(10))
        #expect(RetryPolicy.retryAfter("Tue, 14 Nov 2023 22:13:00 GMT", now: now) == .zero)
        #expect(RetryPolicy.retryAfter("soon") == nil)
        #expect(RetryPolicy.retryAfter(nil) == nil)
    }

    @Test func backoffDoublesWithJitterAndIsCapped() {
        let policy = RetryPolicy(maxAttempts: 6, baseDelay: .seconds(1), maxDelay: .seconds(5))
        for _ in 0..<50 {
            let first = policy.delay(afterAttempt: 1, retryAfter: nil)
            #expect(first >= .milliseconds(500) && first <= .seconds(1))
            let third = policy.delay(afterAttempt: 3, retryAfter: nil)
            #expect(third >= .seconds(2) && third <= .seconds(4))
            #expect(policy.delay(afterAttempt: 5, retryAfter: nil) <= .seconds(5))
        }
        let delays = Set((0..<20).map { _ in policy.delay(afterAttempt: 2, retryAfter: nil) })
        #expect(delays.count > 1, "jitter spreads the delays")
    }

    @Test func theServersRetryAfterWinsUpToTheCap() {
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: .seconds(1), maxDelay: .seconds(30))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(7)) == .seconds(7))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(300)) == .seconds(30))
    }
}
