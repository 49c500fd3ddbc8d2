import AutoCoder
import Foundation

/// autocoder's entry point for a Swift test run (`Resources/AutocoderSwiftMain.swift`), which seals it
/// (``VerdictSeal``): the tests become an executable target whose `main` is this file, with the XCTest classes that
/// ``XCTestList`` read written in. It reads the secret and the Swift Testing report's path from its standard input
/// before any test, runs XCTest's classes and then Swift Testing's tests (through the library's entry point for
/// tools, `swt_abiv0_getEntryPoint`, whose records it follows), and seals each test and its count of failures.
enum SwiftSealedMain {
    /// The file's name among the tests (one no test file may have).
    static let fileName = "AutocoderSealedTests.swift"

    static let template: String? = InstalledResources.url(
        "autocoder_AutoCoderExecution", "AutocoderSwiftMain", "swift", fallback: { Bundle.module }
    )
    .flatMap { try? String(contentsOf: $0, encoding: .utf8) }

    /// The entry point with `suites` written in, or `nil` when the template is missing from the build.
    /// `ownTypes` are the code's types, each with the mangled names to ask the runtime for it (``SwiftOwnTypes``),
    /// which the entry point does before any test.
    static func source(
        for suites: [XCTestList.Suite], ownTypes: [(name: String, mangled: [String])] = []
    ) -> String? {
        let placeholder = "        // autocoder: entries\n"
        let typesPlaceholder = "        // autocoder: own types\n"
        guard let template, template.contains(placeholder), template.contains(typesPlaceholder) else { return nil }
        let entries = suites.map { suite in
            let tests = suite.tests.map { "autocoderTest(\"\($0)\", \(suite.name).\($0))" }
            return "        testCase([\(tests.joined(separator: ", "))]),\n"
        }
        let types = ownTypes.map { type in
            "        (\"\(type.name)\", [\(type.mangled.map { "\"\($0)\"" }.joined(separator: ", "))]),\n"
        }.joined()
        return template.replacingOccurrences(of: placeholder, with: entries.joined())
            .replacingOccurrences(of: typesPlaceholder, with: types)
    }
}
