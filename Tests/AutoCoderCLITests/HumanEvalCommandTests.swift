import AutoCoderTestSupport
import Foundation
import Testing

@Suite struct HumanEvalCommandTests {
    @Test func oraclesOnHumanEval() async throws {
        let dir = try TemporaryDirectory()
        let report = dir.url.appendingPathComponent("report")
        let canonical = try await CLI.run(
            ["bench", "humaneval", "--oracle", "canonical", "--limit", "6", "--json", "--report", report.path],
            timeout: .seconds(300))
        #expect(canonical.code == 0, "stderr: \(canonical.stderr)")
        let good = try canonical.json()
        #expect(good["dataset"] as? String == "humaneval")
        #expect(good["solved"] as? Int == 6)
        #expect((good["results"] as? [[String: Any]])?.first?["task_id"] as? String == "HumanEval/0")
        #expect(FileManager.default.fileExists(atPath: report.appendingPathComponent("report.md").path))
        #expect(FileManager.default.fileExists(atPath: report.appendingPathComponent("pass-rate.svg").path))

        let broken = try await CLI.run(
            ["bench", "humaneval", "--oracle", "broken", "--offset", "100", "--limit", "6", "--json"],
            timeout: .seconds(300))
        #expect(broken.code == 0, "stderr: \(broken.stderr)")
        let bad = try broken.json()
        #expect(bad["solved"] as? Int == 0)
        #expect((bad["results"] as? [[String: Any]])?.allSatisfy { $0["outcome"] as? String == "failed" } == true)
    }
}
