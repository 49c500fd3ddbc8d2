import Foundation

/// Takes secrets out of test output before it reaches a prompt, the store or the JSON: what a test printed can
/// hold whatever the code under test managed to read (a key file, `/etc/shadow`), and the loop sends failures to
/// a model provider.
///
/// Redacted, each replaced by `[REDACTED]`:
/// - the values of this process's own secret-named variables (`*_API_KEY`, `*_TOKEN`, …), wherever they appear;
/// - well-known key formats: OpenAI and Anthropic (`sk-…`), GitHub (`ghp_…`, `github_pat_…`), Slack (`xox?-…`),
///   AWS access key ids (`AKIA…`), Google (`AIza…`), Hugging Face (`hf_…`), JSON Web Tokens, PEM private keys,
///   and crypt(3) password hashes (`$6$…`, as in `/etc/shadow`);
/// - a high-entropy value after `key`, `token`, `secret`, `password` or `credential` and `=` or `:`.
public struct SecretRedactor: Sendable {
    /// Exact strings to take out wherever they appear (8 characters or more).
    public var knownSecrets: [String]

    public init(knownSecrets: [String] = []) {
        self.knownSecrets = knownSecrets.filter { $0.count >= 8 }.sorted { $0.count > $1.count }
    }

    /// The text that replaces each secret.
    public static let marker = "[REDACTED]"

    private static let formats: [NSRegularExpression] = [
        #"sk-(?:ant-|proj-)?[A-Za-z0-9_\-]{20,}"#,
        #"\bgh[pousr]_[A-Za-z0-9]{30,}"#,
        #"\bgithub_pat_[A-Za-z0-9_]{30,}"#,
        #"\bxox[abposr]-[A-Za-z0-9\-]{10,}"#,
        #"\bAKIA[0-9A-Z]{16}\b"#,
        #"\bAIza[0-9A-Za-z_\-]{35}"#,
        #"\bhf_[A-Za-z0-9]{30,}"#,
        #"\beyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}"#,
        #"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----"#,
        #"\$(?:1|2[abyx]?|5|6|y|gy|7)\$[^\s:$]*\$[./A-Za-z0-9]{8,}(?:\$[./A-Za-z0-9]{8,})?"#,
    ].compactMap { try? NSRegularExpression(pattern: $0) }

    /// `name = value` or `name: value` where the name says it is secret; the value is group 1.
    private static let assignment = try? NSRegularExpression(
        pattern:
            #"(?i)(?:api[_\-]?key|access[_\-]?key|secret|token|passw(?:or)?d|credentials?)["']?\s*[:=]\s*["']?([^\s"',;)}\]]{8,})"#
    )

    /// How many key formats are recognized (each pattern compiled).
    static var formatCount: Int { formats.count + (assignment == nil ? 0 : 1) }

    /// `text` with its secrets replaced by ``marker``, and how many were replaced.
    public func redact(_ text: String) -> (text: String, count: Int) {
        guard !text.isEmpty else { return (text, 0) }
        var text = text
        var count = 0
        for secret in knownSecrets where text.contains(secret) {
            count += text.components(separatedBy: secret).count - 1
            text = text.replacingOccurrences(of: secret, with: Self.marker)
        }
        for format in Self.formats {
            let range = NSRange(text.startIndex..., in: text)
            let found = format.numberOfMatches(in: text, range: range)
            guard found > 0 else { continue }
            count += found
            text = format.stringByReplacingMatches(in: text, range: range, withTemplate: Self.marker)
        }
        let matches = Self.assignment?.matches(in: text, range: NSRange(text.startIndex..., in: text)) ?? []
        for match in matches.reversed() {
            guard let range = Range(match.range(at: 1), in: text) else { continue }
            let value = String(text[range])
            guard value != Self.marker, Self.looksRandom(value) else { continue }
            text.replaceSubrange(range, with: Self.marker)
            count += 1
        }
        return (text, count)
    }

    /// Whether `value` looks generated rather than written: at least two kinds of character and about three
    /// bits of entropy per character or more.
    static func looksRandom(_ value: String) -> Bool {
        let kinds = [
            value.contains(where: \.isLowercase), value.contains(where: \.isUppercase),
            value.contains(where: \.isNumber),
        ].filter { $0 }.count
        guard kinds >= 2 else { return false }
        var counts: [Character: Int] = [:]
        for character in value { counts[character, default: 0] += 1 }
        let length = Double(value.count)
        let entropy = counts.values.reduce(0.0) { sum, count in
            let p = Double(count) / length
            return sum - p * log2(p)
        }
        return entropy >= 3.0
    }

    /// `result` with every secret taken out of its output and of each test's message and details; when any was,
    /// the output ends with a line that says so.
    public func redact(_ result: TestResult) -> TestResult {
        var result = result
        var total = 0
        func clean(_ text: String?) -> String? {
            guard let text else { return nil }
            let (redacted, count) = redact(text)
            total += count
            return redacted
        }
        result.output = clean(result.output) ?? ""
        result.message = clean(result.message)
        for index in result.tests.indices {
            result.tests[index].message = clean(result.tests[index].message)
            result.tests[index].details = clean(result.tests[index].details)
        }
        if total > 0 {
            result.output += "\n[autocoder: \(total) secret-looking string(s) redacted from this output]"
        }
        return result
    }
}
