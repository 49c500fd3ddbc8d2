import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads JUnit XML reports (pytest, Swift Testing, Maven, Jest and others) into per-test results.
///
/// Every `<testcase>` element is one test, wherever it is nested; the `tests=` attribute of a suite is never
/// trusted (pytest counts a teardown error twice, Swift Testing leaves out skipped tests).
public struct JUnitParser: Sendable {
    /// The most characters kept of one test's message; longer ones are cut at the end.
    public var messageLimit: Int
    /// The most characters kept of one test's details; longer ones keep their end, where the error is.
    public var detailsLimit: Int

    public init(messageLimit: Int = 2_000, detailsLimit: Int = 8_000) {
        self.messageLimit = messageLimit
        self.detailsLimit = detailsLimit
    }

    /// The tests in the report, in document order.
    /// - Throws: ``JUnitParseError`` when the data is not well-formed XML.
    public func parse(_ data: Data) throws -> [TestCase] {
        let delegate = JUnitParserDelegate()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.shouldResolveExternalEntities = false
        guard parser.parse() else {
            let reason = parser.parserError.map { String(describing: $0) } ?? "unknown error"
            throw JUnitParseError(line: parser.lineNumber, reason: reason)
        }
        // FoundationXML on Linux accepts a document that stops mid-way; a cut-off report must not pass as whole.
        guard delegate.sawRoot, delegate.depth == 0 else {
            throw JUnitParseError(
                line: parser.lineNumber,
                reason: delegate.sawRoot ? "the document ends before its elements close" : "no root element")
        }
        return delegate.cases.map(trimmed)
    }

    private func trimmed(_ test: TestCase) -> TestCase {
        var test = test
        if let message = test.message, message.count > messageLimit {
            test.message = String(message.prefix(messageLimit)) + " […]"
        }
        if let details = test.details, details.count > detailsLimit {
            test.details = "[… \(details.count - detailsLimit) characters cut]\n" + String(details.suffix(detailsLimit))
        }
        return test
    }
}

/// A JUnit report that is not well-formed XML.
public struct JUnitParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var reason: String

    public var description: String { "malformed JUnit XML at line \(line): \(reason)" }
}

/// Collects `<testcase>` elements and their `<failure>`, `<error>` and `<skipped>` children.
private final class JUnitParserDelegate: NSObject, XMLParserDelegate {
    var cases: [TestCase] = []
    /// How many elements are open.
    private(set) var depth = 0
    private(set) var sawRoot = false
    private var current: TestCase?
    private var verdict: TestCase.Outcome?
    private var capturing = false
    private var text = ""

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        depth += 1
        sawRoot = true
        switch elementName {
        case "testcase":
            let suite = attributes["classname"].flatMap { $0.isEmpty ? nil : $0 }
            current = TestCase(name: attributes["name"] ?? "(unnamed)", suite: suite, outcome: .passed)
            verdict = nil
        case "failure", "error", "skipped":
            guard current != nil else { return }
            let outcome: TestCase.Outcome =
                switch elementName {
                case "failure": .failed
                case "error": .error
                default: .skipped
                }
            // A failure outranks an error, which outranks a skip.
            if rank(outcome) > rank(verdict) {
                verdict = outcome
                current?.message = attributes["message"]
                capturing = true
                text = ""
            }
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if capturing { text += string }
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
        if capturing { text += String(decoding: block, as: UTF8.self) }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        depth -= 1
        switch elementName {
        case "failure", "error", "skipped":
            if capturing {
                let details = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if !details.isEmpty { current?.details = details }
                capturing = false
            }
        case "testcase":
            if var test = current {
                test.outcome = verdict ?? .passed
                cases.append(test)
            }
            current = nil
        default:
            break
        }
    }

    private func rank(_ outcome: TestCase.Outcome?) -> Int {
        switch outcome {
        case .failed: 3
        case .error: 2
        case .skipped: 1
        default: 0
        }
    }
}
