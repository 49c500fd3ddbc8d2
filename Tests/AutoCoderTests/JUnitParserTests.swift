import AutoCoder
import Foundation
import Testing

@Suite struct JUnitParserTests {
    let parser = JUnitParser()

    func parse(_ xml: String) throws -> [TestCase] {
        try parser.parse(Data(xml.utf8))
    }

    @Test func pytestReport() throws {
        let cases = try parse(
            """
            <?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests">
            <testsuite name="pytest" errors="1" failures="1" skipped="1" tests="9" time="0.1">
            <testcase classname="test_m" name="test_pass" time="0.001" />
            <testcase classname="test_m" name="test_fail" time="0.001"><failure message="AssertionError: math&#10;assert 2 == 3">def test_fail():
            &gt;       assert 1 + 1 == 3
            E       assert 2 == 3</failure></testcase>
            <testcase classname="test_m" name="test_error"><error message="failed on setup with &quot;RuntimeError: boom&quot;">trace</error></testcase>
            <testcase classname="test_m" name="test_skip"><skipped type="pytest.skip" message="not today">x</skipped></testcase>
            </testsuite></testsuites>
            """)
        #expect(cases.count == 4)  // the tests= attribute says 9 and is ignored
        #expect(cases.map(\.outcome) == [.passed, .failed, .error, .skipped])
        #expect(cases[1].message == "AssertionError: math\nassert 2 == 3")
        #expect(cases[1].details?.contains("> ") == true || cases[1].details?.contains(">       assert") == true)
        #expect(cases[2].message == "failed on setup with \"RuntimeError: boom\"")
        #expect(cases[0].suite == "test_m")
    }

    @Test func swiftTestingReportWithNestedSuitesAndCDATA() throws {
        let cases = try parse(
            """
            <testsuites><testsuite name="TestResults" tests="1"><testsuite name="Inner">
            <testcase classname="LibTests" name="addFails()"><failure message="Expectation failed"><![CDATA[raw <details>]]></failure></testcase>
            <testcase classname="LibTests" name="skipped()"><skipped>skipping</skipped></testcase>
            </testsuite></testsuite></testsuites>
            """)
        #expect(cases.map(\.name) == ["addFails()", "skipped()"])
        #expect(cases[0].details == "raw <details>")
        #expect(cases[1].outcome == .skipped)
    }

    @Test func aFailureOutranksAnErrorInTheSameCase() throws {
        let cases = try parse(
            "<testsuite><testcase name=\"t\"><error message=\"teardown\"/><failure message=\"assert\"/></testcase></testsuite>"
        )
        #expect(cases.first?.outcome == .failed)
        #expect(cases.first?.message == "assert")
    }

    @Test func emptyClassNameMeansNoSuite() throws {
        let cases = try parse(
            "<testsuite><testcase classname=\"\" name=\"test_x\"><error message=\"collection failure\">E   SyntaxError</error></testcase></testsuite>"
        )
        #expect(cases.first?.suite == nil)
    }

    @Test func longDetailsKeepTheirEnd() throws {
        let parser = JUnitParser(messageLimit: 10, detailsLimit: 20)
        let long = String(repeating: "a", count: 100) + "THE-END"
        let cases = try parser.parse(
            Data(
                "<testsuite><testcase name=\"t\"><failure message=\"\(long)\">\(long)</failure></testcase></testsuite>"
                    .utf8))
        #expect(cases[0].details?.hasSuffix("THE-END") == true)
        #expect(cases[0].details?.contains("characters cut") == true)
        #expect(cases[0].message?.count ?? 0 < 20)
    }

    @Test func malformedXMLThrows() {
        #expect(throws: JUnitParseError.self) { try parse("<testsuite><testcase name=\"t\">") }
        #expect(throws: JUnitParseError.self) {
            try parse("<testsuite><testcase name=\"a\"/><testcase name=\"b\"></testcase>")
        }
        #expect(throws: JUnitParseError.self) { try parse("") }
        #expect(throws: JUnitParseError.self) { try parse("<a></b>") }
    }
}
