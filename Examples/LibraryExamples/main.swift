// The library examples of docs/library.md, compiled by every build of the package (and so by `scripts/test`), and
// checked against the document by `LibraryDocumentTests`. `swift run LibraryExamples session|parts|model` runs one
// from the repository's root.
import Foundation

let examples: [String: () async throws -> Void] = [
    "session": sessionExample, "parts": partsExample, "model": modelExample,
]
guard CommandLine.arguments.count == 2, let example = examples[CommandLine.arguments[1]] else {
    FileHandle.standardError.write(Data("usage: LibraryExamples session|parts|model\n".utf8))
    exit(2)
}
try await example()
