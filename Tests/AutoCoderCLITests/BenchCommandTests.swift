import AutoCoderTestSupport
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

    /// The JavaScript task set: every reference solution passes, every broken one fails.
    @Test func theJavaScriptSetPassesItsOraclesExactly() async throws {
        for (oracle, solved) in [("canonical", 3), ("broken", 0)] {
            let run = try await CLI.run(["bench", "javascript", "--oracle", oracle, "--json"])
            #expect(run.code == 0, "stderr: \(run.stderr)")
            let summary = try run.json()
            #expect(summary["problems"] as? Int == 3 && summary["solved"] as? Int == solved, "\(oracle)")
            let outcomes = (summary["results"] as? [[String: Any]])?.compactMap { $0["outcome"] as? String }
            #expect(outcomes == Array(repeating: oracle == "canonical" ? "passed" : "failed", count: 3), "\(oracle)")
        }
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

    @Test func recordKeepsEachProblemsRunAndCompareSetsTwoRunsSideBySide() async throws {
        let dir = try TemporaryDirectory()
        let store = dir.url.appendingPathComponent("runs.sqlite").path
        let good = try await CLI.run(
            ["bench", "humaneval", "--oracle", "canonical", "--limit", "3", "--record", "--store", store, "--json"])
        #expect(good.code == 0, "\(good.stderr)")
        let summary = try good.json()
        #expect(summary["pass_by_iteration"] as? [Double] == [1])
        #expect(summary["gain"] as? Double == 1)
        let listed = try await CLI.run(["runs", "list", "--store", store, "--json"])
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(runs.count == 3)
        #expect(runs.allSatisfy { $0["provider"] as? String == "oracle-canonical" })

        let bad = try await CLI.run(["bench", "humaneval", "--oracle", "broken", "--limit", "3", "--json"])
        #expect(try bad.json()["gain"] is NSNull, "no first attempt passed: no gain to state")
        let a = try dir.write("a.json", good.stdout)
        let b = try dir.write("b.json", bad.stdout)
        let compared = try await CLI.run(["bench", "compare", a.path, b.path])
        #expect(compared.code == 0, "\(compared.stderr)")
        #expect(compared.stdout.contains("Solved only in A: HumanEval/0, HumanEval/1, HumanEval/2"))
        let json = try await CLI.run(["bench", "compare", a.path, b.path, "--json"])
        #expect(try json.json()["only_a"] as? [String] == ["HumanEval/0", "HumanEval/1", "HumanEval/2"])
        let notBench = try await CLI.run(["bench", "compare", a.path, store])
        #expect(notBench.code == 2)
        // A document without the fields is named by the first one missing, not "The data is missing".
        let empty = try dir.write("empty.json", "{}")
        let missing = try await CLI.run(["bench", "compare", empty.path, a.path])
        #expect(missing.code == 2)
        #expect(missing.stderr.contains("'dataset' is missing"), "\(missing.stderr)")
    }
}

/// `bench polyglot` and `bench exercism` on the project's own six-track fixture, end to end with every toolchain.
@Suite struct PolyglotBenchCommandTests {
    static let fixture = CLI.repository.appendingPathComponent("Tests/Fixtures/polyglot").path

    @Test func problemsThatCouldNotBeTestedAreShownWithTheirMessage() async throws {
        // No Rust toolchain on this PATH (rustup puts it under ~/.cargo/bin).
        #expect(!FileManager.default.isExecutableFile(atPath: "/usr/bin/rustc"))
        let run = try await CLI.run(
            ["bench", "polyglot", Self.fixture, "--languages", "rust", "--oracle", "canonical"],
            environment: ["PATH": "/usr/bin:/bin"])
        #expect(run.code == 3, "\(run.stderr)")
        #expect(run.stderr.contains("rust/digit-sum: No Rust toolchain"), "\(run.stderr)")
        #expect(run.stderr.contains("1 problem could not be tested (above)."), "\(run.stderr)")
        // An interpreter that is no Python is said as `solve` says it, not blamed on the code.
        let python = try await CLI.run([
            "bench", "polyglot", Self.fixture, "--languages", "python", "--oracle", "canonical", "--python", "/bin/ls",
        ])
        #expect(python.code == 3, "\(python.stderr)")
        #expect(python.stderr.contains("python/digit-sum: /bin/ls is not a Python 3 interpreter"), "\(python.stderr)")
    }

    @Test func theOraclesPassAndFailEveryLanguage() async throws {
        for (oracle, solved) in [("canonical", 6), ("broken", 0)] {
            let run = try await CLI.run(
                ["bench", "polyglot", Self.fixture, "--oracle", oracle, "--json"], timeout: .seconds(900))
            #expect(run.code == 0, "stderr: \(run.stderr)")
            let summary = try run.json()
            #expect(summary["dataset"] as? String == "polyglot")
            #expect(summary["problems"] as? Int == 6 && summary["solved"] as? Int == solved, "\(oracle): \(run.stdout)")
            let languages = try #require(summary["languages"] as? [[String: Any]])
            #expect(
                languages.compactMap { $0["language"] as? String } == [
                    "cpp", "go", "java", "javascript", "python", "rust",
                ])
            #expect(languages.allSatisfy { $0["pass_after_try_1"] as? Double == Double(solved / 6) }, "\(languages)")
            let results = try #require(summary["results"] as? [[String: Any]])
            if oracle == "broken" {
                #expect(
                    results.allSatisfy {
                        $0["outcome"] as? String != "passed" && $0["outcome"] as? String != "infrastructure_error"
                    })
            }
        }
    }

    @Test func aGeneratorGetsTwoTriesAndTheTableHasTheLeaderboardsColumns() async throws {
        // A command that always answers a wrong Python solution: two tries (Aider's protocol), then the table.
        let run = try await CLI.run(
            [
                "bench", "polyglot", Self.fixture, "--languages", "python", "--provider", "command", "--command",
                "printf 'digit_sum.py\\n```python\\ndef digit_sum(n):\\n    return n\\n```\\n'",
            ], timeout: .seconds(300))
        #expect(run.code == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("python/digit-sum  no      2"), "\(run.stdout)")
        #expect(run.stdout.contains("LANGUAGE  PROBLEMS  TRY 1  TRY 2  WELL-FORMED"), "\(run.stdout)")
        #expect(run.stdout.contains("python    1         0.0%   0.0%   100.0%"), "\(run.stdout)")
    }

    @Test func badPolyglotInput() async throws {
        let empty = try TemporaryDirectory()
        let notATrack = try await CLI.run(["bench", "polyglot", empty.url.path, "--oracle", "canonical"])
        #expect(notATrack.code == 2)
        #expect(
            notATrack.stderr.contains("git clone") || notATrack.stderr.contains("polyglot-benchmark"),
            "\(notATrack.stderr)")
        let unknown = try await CLI.run([
            "bench", "polyglot", Self.fixture, "--languages", "cobol", "--oracle", "canonical",
        ])
        #expect(unknown.code == 2 && unknown.stderr.contains("no 'cobol' track"), "\(unknown.stderr)")
        let track = try await CLI.run(
            ["bench", "exercism", Self.fixture + "/rust", "--oracle", "canonical", "--json"], timeout: .seconds(300))
        #expect(track.code == 0, "stderr: \(track.stderr)")
        #expect(try track.json()["solved"] as? Int == 1)
    }
}

/// `bench --shard K/N` and `bench merge`: four shards merged give what one run gives; overlaps and gaps are refused.
@Suite struct ShardCommandTests {
    @Test func fourShardsMergedAreOneRun() async throws {
        let directory = try TemporaryDirectory()
        let fixture = PolyglotBenchCommandTests.fixture
        var files: [String] = []
        for index in 1...4 {
            let run = try await CLI.run(
                ["bench", "polyglot", fixture, "--oracle", "canonical", "--shard", "\(index)/4", "--json"],
                timeout: .seconds(600))
            #expect(run.code == 0, "stderr: \(run.stderr)")
            let shard = try #require(try run.json()["shard"] as? [String: Any])
            #expect(shard["index"] as? Int == index && shard["total"] as? Int == 6)
            files.append(try directory.write("shard\(index).json", run.stdout).path)
        }
        let whole = try await CLI.run(
            ["bench", "polyglot", fixture, "--oracle", "canonical", "--json"], timeout: .seconds(600))
        let merged = try await CLI.run(["bench", "merge"] + files + ["--json"])
        #expect(merged.code == 0, "stderr: \(merged.stderr)")
        let (one, parts) = (try whole.json(), try merged.json())
        func outcomes(_ summary: [String: Any]) -> [String] {
            (summary["results"] as? [[String: Any]] ?? []).map { "\($0["task_id"] ?? "") \($0["outcome"] ?? "")" }
        }
        #expect(outcomes(parts) == outcomes(one) && outcomes(one).count == 6, "\(outcomes(parts))")
        #expect(parts["solved"] as? Int == 6 && parts["problems"] as? Int == 6)

        let twice = try await CLI.run(["bench", "merge", files[0], files[0], files[2], files[3]])
        #expect(twice.code == 2 && twice.stderr.contains("Shard 1/4 is given twice"), "\(twice.stderr)")
        let gap = try await CLI.run(["bench", "merge", files[0], files[1]])
        #expect(gap.code == 2 && gap.stderr.contains("3/4, 4/4 are missing"), "\(gap.stderr)")
        let bad = try await CLI.run(["bench", "polyglot", fixture, "--shard", "5/4"])
        #expect(bad.code == 2 && bad.stderr.contains("--shard must be K/N"), "\(bad.stderr)")
    }
}
