import AutoCoder
import Foundation
import Testing

/// The one JSON style: a type states its fields, the document coder writes them in snake_case with every key
/// present, and reads them back, whatever the nesting.
@Suite struct JSONDocumentTests {
    struct Step: Codable, Equatable {
        var durationMs: Int
        var costUSD: Double?
        var startedAt: Date
        var data: Data?
    }

    struct Report: Codable, Equatable {
        var runID: String
        var baseURLPath: String?
        var environment: [String: String]
        var stepsByFile: [String: Step]
        var steps: [Step?]
        var lastStep: Step?

        enum CodingKeys: String, CodingKey {
            case runID, baseURLPath, stepsByFile, steps, lastStep
            case environment = "env"
        }
    }

    static let step = Step(
        durationMs: 12, costUSD: nil, startedAt: Date(timeIntervalSince1970: 1_700_000_000), data: Data([0, 255]))
    static let report = Report(
        runID: "r1", baseURLPath: nil, environment: ["MY_VAR": "1", "camelCase": "2"],
        stepsByFile: ["Solution.py": step], steps: [step, nil], lastStep: nil)

    func object(_ value: some Encodable) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: JSONDocument.encoder().encode(value)) as? [String: Any])
    }

    @Test func namesAreSnakeCaseAndARunOfCapitalsIsOneWord() {
        #expect(JSONDocument.snakeCase("runID") == "run_id")
        #expect(JSONDocument.snakeCase("costUSD") == "cost_usd")
        #expect(JSONDocument.snakeCase("baseURLPath") == "base_url_path")
        #expect(JSONDocument.snakeCase("memoryMB") == "memory_mb")
        #expect(JSONDocument.snakeCase("durationMs") == "duration_ms")
        #expect(JSONDocument.snakeCase("passed") == "passed")
        #expect(JSONDocument.snakeCase("max_procs") == "max_procs")
    }

    @Test func everyKeyIsWrittenInSnakeCaseAndAnAbsentValueIsNull() throws {
        let json = try object(Self.report)
        #expect(Set(json.keys) == ["run_id", "base_url_path", "env", "steps_by_file", "steps", "last_step"])
        #expect(json["base_url_path"] is NSNull && json["last_step"] is NSNull)
        let steps = try #require(json["steps"] as? [Any])
        #expect(steps[1] is NSNull)
        let first = try #require(steps[0] as? [String: Any])
        #expect(Set(first.keys) == ["duration_ms", "cost_usd", "started_at", "data"])
        #expect(first["cost_usd"] is NSNull)
        #expect(first["started_at"] as? String == "2023-11-14T22:13:20Z")
        #expect(first["data"] as? String == "AP8=")
    }

    @Test func dictionaryKeysAreDataAndKeptAsTheyAre() throws {
        let json = try object(Self.report)
        #expect(json["env"] as? [String: String] == ["MY_VAR": "1", "camelCase": "2"])
        let byFile = try #require(json["steps_by_file"] as? [String: [String: Any]])
        #expect(Array(byFile.keys) == ["Solution.py"])
        #expect(byFile["Solution.py"]?["duration_ms"] as? Int == 12)
    }

    @Test func aDocumentReadsBackIntoTheSameValue() throws {
        let data = try JSONDocument.encoder().encode(Self.report)
        #expect(try JSONDocument.decoder().decode(Report.self, from: data) == Self.report)
    }

    /// Foundation's `convertFromSnakeCase` reads `run_id` as `runId`, which no property is called.
    @Test func snakeCaseKeysReadIntoPropertiesNamedWithCapitals() throws {
        let text = """
            {"run_id": "r2", "env": {}, "steps_by_file": {}, "steps": [],
             "last_step": {"duration_ms": 3, "cost_usd": 0.5, "started_at": "2023-11-14T22:13:20Z"}}
            """
        let report = try JSONDocument.decoder().decode(Report.self, from: text)
        #expect(report.runID == "r2" && report.baseURLPath == nil)
        #expect(report.lastStep?.costUSD == 0.5 && report.lastStep?.data == nil)
    }

    /// Every document autocoder writes or reads goes through the one style: a plain Foundation coder is left only
    /// where the format is someone else's (a provider's API, the MCP SDK's values, `go test -json`, Exercism's
    /// configuration).
    @Test func noDocumentOfAutocodersIsCodedWithAPlainFoundationCoder() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources").standardizedFileURL
        let foreignFormats: Set<String> = [
            "AutoCoderLLM/Providers/AnthropicProvider.swift", "AutoCoderLLM/Providers/OpenAIChatProvider.swift",
            "AutoCoderLLM/Providers/SnakeCaseDecoder.swift", "AutoCoderMCP/MCPServer.swift",
            "AutoCoderExecution/Go/GoTestVerdict.swift", "AutoCoderBench/Exercism.swift",
            "AutoCoder/JSON/JSONDocument.swift",
        ]
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
        var plain: [String] = []
        for file in files where file.hasSuffix(".swift") && !foreignFormats.contains(file) {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            if text.contains("JSONEncoder()") || text.contains("JSONDecoder()") { plain.append(file) }
        }
        #expect(files.count > 100)
        #expect(plain == [], "documents coded without JSONDocument")
    }
}
