import Foundation
import Testing

/// docs/library.md's code is the code of `Examples/LibraryExamples`, which every build of the package compiles:
/// each `swift` block of the document is, line for line, one `// docs:begin` … `// docs:end` region of an example.
@Suite struct LibraryDocumentTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func blocks(of document: String) -> [String] {
        document.components(separatedBy: "```swift\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
    }

    /// The regions of `source`, without the four spaces of the function body they sit in.
    static func regions(of source: String) -> [String] {
        source.components(separatedBy: "// docs:begin\n").dropFirst().map { region in
            let lines = region.components(separatedBy: "\n").prefix { !$0.contains("// docs:end") }
            return lines.map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : $0 }.joined(separator: "\n") + "\n"
        }
    }

    @Test func everyBlockOfTheDocumentIsACompiledExample() throws {
        let document = try String(contentsOf: Self.root.appendingPathComponent("docs/library.md"), encoding: .utf8)
        let folder = Self.root.appendingPathComponent("Examples/LibraryExamples")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        let regions = try files.flatMap {
            Self.regions(of: try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8))
        }
        let blocks = Self.blocks(of: document)
        #expect(blocks.count == 3)
        #expect(regions.count == blocks.count)
        for block in blocks {
            // The imports stand at the top of an example's file, outside its region.
            let body = block.components(separatedBy: "\n").drop { $0.hasPrefix("import ") || $0.isEmpty }
                .joined(separator: "\n")
            #expect(regions.contains(body), "a block of docs/library.md is not an example's region:\n\(body)")
        }
    }
}
