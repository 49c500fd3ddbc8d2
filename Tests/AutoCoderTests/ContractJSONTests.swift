import AutoCoder
import Foundation
import Testing

/// The JSON field names are the external contract (ARCHITECTURE §4).
@Suite struct ContractJSONTests {
    func object(_ value: some Encodable) throws -> [String: Any] {
        let data = try JSONDocument.encoder().encode(value)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func testResultFields() throws {
        let result = TestResult(
            outcome: .failed,
            tests: [
                TestCase(name: "test_add", outcome: .failed, message: "assert 3 == 4", details: "…"),
                TestCase(name: "test_ok", outcome: .passed),
            ],
            exitCode: 1, durationMs: 57, output: "out")
        let json = try object(result)
        #expect(
            Set(json.keys).isSuperset(of: [
                "passed", "outcome", "num_passed", "num_failed", "num_errors", "num_skipped", "exit_code",
                "duration_ms",
                "tests", "output",
            ]))
        #expect(json["passed"] as? Bool == false)
        #expect(json["outcome"] as? String == "failed")
        #expect(json["num_passed"] as? Int == 1)
        #expect(json["num_failed"] as? Int == 1)
        let tests = try #require(json["tests"] as? [[String: Any]])
        #expect(tests[0]["name"] as? String == "test_add")
        #expect(tests[0]["message"] as? String == "assert 3 == 4")

        let decoded = try JSONDocument.decoder().decode(
            TestResult.self, from: try JSONDocument.encoder().encode(result))
        #expect(decoded == result)
    }

    @Test func outcomeFields() throws {
        let step = CodingStep(
            type: .generate, iteration: 1, files: [CodeFile(path: "solution.py", content: "x")],
            testResult: TestResult(outcome: .passed), durationMs: 812, generationMs: 700,
            usage: Usage(promptTokens: 310, completionTokens: 92))
        let outcome = RunOutcome(
            runID: "r", solved: true, stopReason: .testsPassed, iterations: 1, steps: [step],
            finalFiles: step.files, testResult: step.testResult, usage: Usage(promptTokens: 310, completionTokens: 92),
            durationMs: 900)
        let json = try object(outcome)
        #expect(
            Set(json.keys).isSuperset(of: [
                "solved", "stop_reason", "iterations", "run_id", "final_files", "test_result", "steps", "usage",
            ]))
        #expect(json["stop_reason"] as? String == "tests_passed")
        let steps = try #require(json["steps"] as? [[String: Any]])
        #expect(steps[0]["type"] as? String == "generate")
        #expect(
            Set(steps[0].keys).isSuperset(of: ["type", "iteration", "files", "test_result", "duration_ms", "usage"]))
        let usage = try #require(steps[0]["usage"] as? [String: Any])
        #expect(usage["prompt_tokens"] as? Int == 310)
        #expect(usage["completion_tokens"] as? Int == 92)
        let total = try #require(json["usage"] as? [String: Any])
        #expect(total.keys.contains("cost_usd"))  // null when unknown, never missing
        #expect(total["cost_usd"] is NSNull)
    }

    @Test func outcomeNamesMatchTheContract() {
        #expect(
            TestOutcome.allCases.map(\.rawValue).sorted() == [
                "crashed", "error", "failed", "infrastructure_error", "no_tests", "passed", "tampered", "timeout",
            ])
        #expect(
            StopReason.allCases.map(\.rawValue).sorted() == [
                "budget_exhausted", "cancelled", "error", "max_iterations", "no_progress", "tests_inconsistent",
                "tests_passed", "timeout",
            ])
    }
}
