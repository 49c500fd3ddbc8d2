import Foundation
import Testing

@Suite struct BenchCommandTests {
    @Test func canonicalOracleSolvesAndBrokenOracleFails() async throws {
        let canonical = try await CLI.run(
            ["bench", "swift", "--oracle", "canonical", "--limit", "2", "--json"], timeout: .seconds(600))
        #expect(canonical.code == 0, "stderr: \(canonical.stderr)")
        let good = try canonical.json()
        #expect(good["dataset"] as? String == "swift")
        #expect(good["problems"] as? Int == 2)
        #expect(good["solved"] as? Int == 2)
        #expect(good["pass_at_1"] as? Double == 1)
        #expect(
            (good["results"] as? [[String: Any]])?.map { $0["task_id"] as? String } == [
                "balanced-brackets", "binary-search",
            ])

        let broken = try await CLI.run(
            ["bench", "swift", "--oracle", "broken", "--offset", "2", "--limit", "2", "--json"], timeout: .seconds(600))
        #expect(broken.code == 0, "stderr: \(broken.stderr)")
        let bad = try broken.json()
        #expect(bad["solved"] as? Int == 0)
        let results = try #require(bad["results"] as? [[String: Any]])
        #expect(results.map { $0["outcome"] as? String } == ["failed", "failed"])
        #expect(broken.stderr.contains("[2/2]"))
    }

    @Test func aGeneratorRunsTheLoopOnEachProblem() async throws {
        let run = try await CLI.run(
            [
                "bench", "swift", "--limit", "1", "--provider", "command", "--command",
                "echo 'public func isBalanced(_ text: String) -> Bool { true }'", "--json",
            ], timeout: .seconds(600))
        #expect(run.code == 0, "stderr: \(run.stderr)")
        let json = try run.json()
        let result = try #require((json["results"] as? [[String: Any]])?.first)
        #expect(result["solved"] as? Bool == false)
        // The command answers the same code again: that is told to it, and the loop goes on until a stop condition.
        #expect((result["iterations"] as? Int ?? 0) > 1)
        #expect(["max_iterations", "no_progress"].contains(result["stop_reason"] as? String))
    }

    @Test func badBenchInput() async throws {
        let missing = try await CLI.run(["bench", "no-such-set", "--oracle", "canonical"])
        #expect(missing.code == 2)
        #expect(missing.stderr.contains("does not exist"))
        let oracle = try await CLI.run(["bench", "swift", "--oracle", "psychic"])
        #expect(oracle.code == 2)
        let noSolutions = try await CLI.run(["bench", "examples", "--oracle", "canonical", "--limit", "1"])
        #expect(noSolutions.code == 2)
        #expect(noSolutions.stderr.contains("has no solution/ folder"))
    }
}
