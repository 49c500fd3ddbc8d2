import AutoCoder
import AutoCoderBench
import AutoCoderTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct BenchReportTests {
    func result(_ id: String, solved: Bool, iterations: Int) throws -> BenchResult {
        let json = """
            {"task_id": "\(id)", "solved": \(solved), "iterations": \(iterations), "first_attempt_passed": \(solved && iterations == 1),
             "stop_reason": "\(solved ? "tests_passed" : "max_iterations")", "outcome": "\(solved ? "passed" : "failed")",
             "duration_ms": 1500, "usage": {"prompt_tokens": 10, "completion_tokens": 5, "cost_usd": 0.01, "estimated": false}}
            """
        return try JSONDocument.decoder().decode(BenchResult.self, from: json)
    }

    @Test func theReportHasBothPassRatesAHistogramAndAChart() throws {
        let summary = BenchSummary(
            dataset: "demo",
            results: [
                try result("a", solved: true, iterations: 1), try result("b", solved: true, iterations: 2),
                try result("c", solved: true, iterations: 2), try result("d", solved: false, iterations: 3),
            ], wallSeconds: 2.5)
        let directory = try TemporaryDirectory()
        let file = try BenchReport.write(summary, title: "demo run", to: directory.url.appendingPathComponent("out"))
        let markdown = try String(contentsOf: file, encoding: .utf8)
        #expect(markdown.contains("| pass@1, first attempt (no loop) | 25.0% |"))
        #expect(markdown.contains("| pass@1, final (with the loop) | 75.0% (3 solved) |"))
        #expect(markdown.contains("| 1 | 1 |"))
        #expect(markdown.contains("| 2 | 2 |"))
        #expect(markdown.contains("| d | no | 3 | failed | 15 | $0.0100 | 1.5 |"))
        #expect(markdown.contains("| cost | $0.0400 |"))
        let svg = try Data(contentsOf: file.deletingLastPathComponent().appendingPathComponent("pass-rate.svg"))
        #expect(XMLParser(data: svg).parse())
        let text = String(decoding: svg, as: UTF8.self)
        // 25 %, 75 %, 75 % of the height, from iteration 1 to 3.
        #expect(text.contains("points=\"50.0,200.0 255.0,80.0 460.0,80.0\""))
    }
}
