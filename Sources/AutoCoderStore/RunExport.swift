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
            let encoder = encoder()
            encoder.outputFormatting.insert(.prettyPrinted)
            return String(decoding: try encoder.encode(run), as: UTF8.self) + "\n"
        case .jsonl:
            let encoder = encoder()
            var lines = [
                try line(kind: "run", run.summary, encoder, extra: ["task": run.task, "settings": run.settings])
            ]
            for call in run.calls { lines.append(try line(kind: "generator_call", call, encoder)) }
            for step in run.steps { lines.append(try line(kind: "step", step, encoder)) }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// `{"kind": KIND, "record": VALUE, …extra}` on one line.
    private static func line(
        kind: String, _ value: some Encodable, _ encoder: JSONEncoder, extra: [String: any Encodable] = [:]
    ) throws -> String {
        var object: [String: Any] = ["kind": kind]
        object["record"] = try JSONSerialization.jsonObject(with: encoder.encode(value))
        for (key, item) in extra { object[key] = try JSONSerialization.jsonObject(with: encoder.encode(item)) }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
