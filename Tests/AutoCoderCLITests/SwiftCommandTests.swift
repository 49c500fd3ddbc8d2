import AutoCoderTestSupport
import Foundation
import Testing

@Suite struct SwiftCommandTests {
    @Test(arguments: ["swift-fizzbuzz", "swift-word-frequency", "swift-stack"])
    func swiftExamplesAreSolvedOnTheSecondIteration(_ name: String) async throws {
        let run = try await CLI.run(
            [
                "solve", "examples/\(name)", "--provider", "script", "--script", "examples/\(name)/replies.json",
                "--json", "--no-store",
            ], timeout: .seconds(600))
        #expect(run.code == 0, "stderr: \(run.stderr)")
        let json = try run.json()
        #expect(json["solved"] as? Bool == true)
        #expect(json["iterations"] as? Int == 2)
        let files = try #require(json["final_files"] as? [[String: Any]])
        #expect(files.allSatisfy { ($0["path"] as? String)?.hasPrefix("Sources/") == true })
    }

    @Test func aSwiftRunReplaysTheSame() async throws {
        let dir = try TemporaryDirectory()
        let store = dir.url.appendingPathComponent("runs.sqlite").path
        let solve = try await CLI.run(
            [
                "solve", "examples/swift-stack", "--provider", "script", "--script",
                "examples/swift-stack/replies.json",
                "--json", "--store", store,
            ], timeout: .seconds(600))
        #expect(solve.code == 0, "stderr: \(solve.stderr)")
        let id = try #require(try solve.json()["run_id"] as? String)
        let replay = try await CLI.run(
            ["replay", id, "--store", store, "--json", "--no-store"], timeout: .seconds(600))
        #expect(replay.code == 0, "stderr: \(replay.stderr)")
        #expect(try replay.json()["same"] as? Bool == true)
    }

    @Test func testCommandInfersSwiftAndReportsEachTest() async throws {
        let dir = try TemporaryDirectory()
        let code = try dir.write("Solution.swift", "public func double(_ x: Int) -> Int { x + x }\n")
        let tests = try dir.write(
            "DoubleTests.swift",
            """
            import Testing
            @testable import Solution

            @Test func doubles() { #expect(double(21) == 42) }
            @Test func zero() { #expect(double(0) == 1) }
            """)
        let run = try await CLI.run(
            ["test", "--code", code.path, "--tests", tests.path, "--json"], timeout: .seconds(600))
        #expect(run.code == 1, "stderr: \(run.stderr)")
        let json = try run.json()
        #expect(json["outcome"] as? String == "failed")
        #expect(json["num_passed"] as? Int == 1)
        #expect(json["num_failed"] as? Int == 1)
        #expect((json["duration_ms"] as? Int ?? 0) > 0)
    }

    @Test func moduleFlagNamesTheModule() async throws {
        let dir = try TemporaryDirectory()
        let code = try dir.write("Greeter.swift", "public func greet() -> String { \"hi\" }\n")
        let tests = try dir.write(
            "GreetTests.swift",
            "import XCTest\n@testable import Greetings\n\nfinal class GreetTests: XCTestCase {\n    func testGreet() { XCTAssertEqual(greet(), \"hi\") }\n}\n"
        )
        let run = try await CLI.run(
            ["test", "--code", code.path, "--tests", tests.path, "--module", "Greetings"], timeout: .seconds(600))
        #expect(run.code == 0, "stdout: \(run.stdout) stderr: \(run.stderr)")
        #expect(run.stdout.contains("✓ testGreet"))
    }

    @Test func execCompilesAndRunsSwift() async throws {
        let dir = try TemporaryDirectory()
        let good = try dir.write("hello.swift", "print(\"hello\", 6 * 7)\n")
        let run = try await CLI.run(["exec", good.path], timeout: .seconds(600))
        #expect(run.code == 0)
        #expect(run.stdout == "hello 42\n")
        let bad = try dir.write("bad.swift", "let x: Int = \"no\"\n")
        let failed = try await CLI.run(["exec", bad.path, "--json"], timeout: .seconds(600))
        #expect(failed.code == 1)
        let json = try failed.json()
        #expect((json["stderr"] as? String)?.contains("bad.swift:1:") == true)
        #expect(json["message"] as? String == "The code does not compile.")
    }
}
