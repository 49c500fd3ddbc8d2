import AutoCoder
import Foundation
import Synchronization

/// Where the CLI writes: documents and code on stdout, progress and errors on stderr.
///
/// Writes use the throwing API and ignore failures: a reader that has gone (`autocoder … | head`) must not turn
/// into a crash with a stack trace.
enum Terminal {
    static func out(_ text: String) {
        raw(text + "\n", to: .standardOutput)
    }

    /// Progress and notes for the person watching.
    static func note(_ text: String) {
        raw(text + "\n", to: .standardError)
    }

    static func error(_ text: String) {
        note("autocoder: error: \(text)")
    }

    /// Writes `text` as it is.
    static func raw(_ text: String, to handle: FileHandle) {
        try? handle.write(contentsOf: Data(text.utf8))
    }

    /// Prints `value` as one pretty-printed JSON document on stdout.
    static func json(_ value: some Encodable) throws {
        let encoder = JSONDocument.encoder(formatting: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        out(String(decoding: try encoder.encode(value), as: UTF8.self))
        printedJSON.store(true, ordering: .relaxed)
    }

    /// Whether a JSON document went to stdout: a failure after it prints no second one.
    static let printedJSON = Atomic<Bool>(false)

    /// Under `--json`, a failure that printed no document prints `{"error": {"code", "message"}}` on stdout, so a
    /// reader always gets one JSON document.
    static func jsonError(_ status: ExitStatus, _ message: String) {
        guard CommandLine.arguments.dropFirst().contains("--json"), !printedJSON.load(ordering: .relaxed) else {
            return
        }
        try? json(JSONError(error: .init(code: status.name, message: message)))
    }
}

/// The document a failure prints under `--json`.
struct JSONError: Encodable {
    struct Detail: Encodable {
        var code: String
        var message: String
    }
    var error: Detail
}

extension ExitStatus {
    /// The status's name in JSON error documents: `bad_input`, `tool_failure`, `interrupted`, `failure`.
    var name: String {
        switch self {
        case .success: "success"
        case .failure: "failure"
        case .badInput: "bad_input"
        case .toolFailure: "tool_failure"
        case .timeout: "timeout"
        case .interrupted: "interrupted"
        }
    }
}
