import AutoCoder
import Foundation

/// A recorded run written out as JSON: one document, or JSON Lines with one record per line.
public enum RunExport {
    public enum Format: String, CaseIterable, Sendable {
        case json
        case jsonl
    }

    /// The run in `format`, ending with a newline.
    public static func text(_ run: StoredRun, format: Format) throws -> String {
        switch format {
        case .json:
            let encoder = JSONDocument.encoder(formatting: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            return try encoder.string(run) + "\n"
        case .jsonl:
            let encoder = JSONDocument.encoder()
            var lines = [
                try line(kind: "run", run.summary, encoder, extra: ["task": run.task, "settings": run.settings])
            ]
            for call in run.calls { lines.append(try line(kind: "generator_call", call, encoder)) }
            for step in run.steps { lines.append(try line(kind: "step", step, encoder)) }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// `{"kind": KIND, "record": VALUE, …extra}` on one line.
    private static func line(
        kind: String, _ value: some Encodable, _ encoder: DocumentEncoder, extra: [String: any Encodable] = [:]
    ) throws -> String {
        var object: [String: Any] = ["kind": kind]
        object["record"] = try JSONSerialization.jsonObject(with: encoder.encode(value))
        for (key, item) in extra { object[key] = try JSONSerialization.jsonObject(with: encoder.encode(item)) }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
