import Foundation
import Testing

@testable import AutoCoder

@Suite struct SecretRedactorTests {
    let redactor = SecretRedactor(knownSecrets: ["correct-horse-battery-staple", "short"])

    @Test(arguments: [
        "OPENAI_API_KEY=sk-proj-4f9Qz8LmN2xYt7Rk3Vb1Hc6Jd0We5Ua",
        "key: sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe",
        "token ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5",
        "AKIAIOSFODNN7EXAMPLE",
        "root:$6$Ab3dEf5G$Qm1Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa/:19700:0:99999:7:::",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
        "Authorization: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        "password = 'Xk7#pQ2vLm9Rz4Tw'",
        "the value correct-horse-battery-staple leaked",
    ])
    func secretsAreTakenOut(_ text: String) {
        let (redacted, count) = redactor.redact(text)
        #expect(count >= 1, "\(text)")
        #expect(redacted.contains(SecretRedactor.marker))
        for word in [
            "4f9Qz8LmN2", "Zx9Yw8Vu7T", "aB3dE5fG7h", "AKIAIOSFODNN7", "Qm1Zx9Yw8V", "b3BlbnNzaC1", "SflKxwRJ",
            "Xk7#pQ2vLm9", "battery-staple",
        ] {
            #expect(!redacted.contains(word), "\(redacted)")
        }
    }

    @Test(arguments: [
        "assert add(2, 3) == 5",
        "token = 'abc'",
        "password: hunter2",
        "tokenizer: whitespace-separated-words",
        "E       AssertionError: expected [1, 2, 3], got [1, 2]",
        "def test_secret_santa(): pass",
        "short strings like short stay",
    ])
    func ordinaryTextStays(_ text: String) {
        let (redacted, count) = redactor.redact(text)
        #expect(count == 0, "\(redacted)")
        #expect(redacted == text)
    }

    @Test func everyPatternCompiles() {
        #expect(SecretRedactor.formatCount == 11)
    }

    @Test func aResultIsRedactedEverywhereAndSaysSo() {
        let result = TestResult(
            outcome: .failed,
            tests: [
                TestCase(
                    name: "test_leak", outcome: .failed,
                    message: "assert 'sk-proj-4f9Qz8LmN2xYt7Rk3Vb1Hc6Jd0We5Ua' == ''",
                    details: "E  AssertionError: correct-horse-battery-staple")
            ],
            output: "printed AKIAIOSFODNN7EXAMPLE")
        let redacted = redactor.redact(result)
        let text = [redacted.output, redacted.tests[0].message ?? "", redacted.tests[0].details ?? ""].joined()
        #expect(!text.contains("4f9Qz8") && !text.contains("battery") && !text.contains("AKIAIOSFODNN7"))
        #expect(redacted.output.hasSuffix("[autocoder: 3 secret-looking string(s) redacted from this output]"))
        #expect(redactor.redact(TestResult(outcome: .passed, output: "all fine")).output == "all fine")
    }
}
