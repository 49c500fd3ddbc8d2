import AutoCoder
import Foundation

/// The strict scan of a compiled language's generated files (docs/INTEGRITY.md, "Compiled languages"): what a
/// solution needs neither to compute its answer nor to be tested, and what could end, steer or impersonate the test
/// process instead. One engine; each language brings its rules (``SourceScan/Rule``). Line by line: a rule reads
/// either the code (string literals emptied, comments cut) or the text as written (for paths such as `/proc/self`
/// and for the test runner's own words, which live in string literals). Each finding names its rule and line.
public struct SourceScan: Sendable {
    /// One rule: a pattern over one line, and what a match means.
    public struct Rule: Sendable {
        /// What the pattern reads.
        public enum Target: Sendable {
            /// The line with its string and character literals emptied and its comments cut.
            case code
            /// The line as written, comments and literals included.
            case text
        }

        public var name: String
        public var pattern: String
        public var message: String
        public var target: Target

        public init(_ name: String, _ pattern: String, _ message: String, target: Target = .code) {
            self.name = name
            self.pattern = pattern
            self.message = message
            self.target = target
        }
    }

    /// The extensions of the files scanned (`go`, `rs`).
    public var extensions: Set<String>
    /// The characters that open and close a literal (`"` and `'` in C++; `"` alone in Rust, where `'a` is a
    /// lifetime).
    public var quotes: Set<Character>
    /// The quotes of literals that may span lines, escapes included (Rust's `"`): read on across lines.
    public var multilineQuotes: Set<Character>
    /// The quotes of literals that may span lines, with no escapes inside (Go's `` ` ``): read on across lines.
    public var rawQuotes: Set<Character>
    /// Whether `"""` opens a literal that spans lines (Java's text blocks), read on to the next `"""`.
    public var textBlocks: Bool
    public var rules: [Rule]
    /// What the language's compiler does to the text before it reads tokens (Java's `\u` escapes, C++'s line
    /// splices and digraphs), done first so that a spelling the compiler undoes does not hide a word from the rules.
    public var normalize: @Sendable (String) -> String
    /// The language's equality definitions, checked for one that never reads an operand.
    public var equality: EqualityScan?
    /// How a test file declares a skip (`XCTSkip`, `t.Skip(`, `#[ignore]`, `@Disabled`), or `nil` where the
    /// framework has none: a test skipped when no test file says so was skipped by the code (``CompiledVerdict``).
    public var skips: String?
    /// Findings that read all of the code's files at once (its declarations, as Swift's comparison operators need
    /// them), beside the rules' line by line.
    public var wholeCode: (@Sendable ([CodeFile]) -> [IntegrityFinding])?
    private let compiled: [(Rule, NSRegularExpression)]

    public init(
        extensions: Set<String>, quotes: Set<Character> = ["\""], multilineQuotes: Set<Character> = [],
        rawQuotes: Set<Character> = [], textBlocks: Bool = false,
        normalize: @escaping @Sendable (String) -> String = { $0 },
        equality: EqualityScan? = nil, skips: String? = nil, rules: [Rule],
        wholeCode: (@Sendable ([CodeFile]) -> [IntegrityFinding])? = nil
    ) {
        self.wholeCode = wholeCode
        self.extensions = extensions
        self.quotes = quotes
        self.multilineQuotes = multilineQuotes
        self.rawQuotes = rawQuotes
        self.textBlocks = textBlocks
        self.normalize = normalize
        self.equality = equality
        self.skips = skips
        self.rules = rules
        compiled = rules.compactMap { rule in (try? NSRegularExpression(pattern: rule.pattern)).map { (rule, $0) } }
    }

    /// Whether any of the test files declares a skip (``skips``).
    public func declaresSkips(in tests: [CodeFile]) -> Bool {
        guard let skips else { return false }
        return tests.contains { !$0.isBinary && $0.content.range(of: skips, options: .regularExpression) != nil }
    }

    /// The findings in `files` (the generated sources, never the tests).
    public func findings(in files: [CodeFile]) -> [IntegrityFinding] {
        var found: [IntegrityFinding] = []
        // The classes and structs the code declares, in any of its files (C++'s operators compare only those); a
        // template's `class T` is none.
        let ownTypes: Set<String> =
            equality?.parameterLists == true
            ? Set(
                files.filter { extensions.contains(($0.path as NSString).pathExtension) && !$0.isBinary }.flatMap {
                    $0.content.matches(of: /\b(?:struct|class)\s+([A-Za-z_]\w*)\s*(?:final\s*)?[{:;]/).map {
                        String($0.1)
                    }
                }) : []
        for file in files where extensions.contains((file.path as NSString).pathExtension) && !file.isBinary {
            var carry = Carry()
            let content = normalize(file.content)
            let lines = content.split(separator: "\n", omittingEmptySubsequences: false)
            var codeLines: [String] = []
            for (index, line) in lines.enumerated() {
                let text = String(line)
                let code = code(of: text, carry: &carry)
                codeLines.append(code)
                for (rule, pattern) in compiled {
                    let subject = rule.target == .code ? code : text
                    guard !subject.isEmpty,
                        pattern.firstMatch(in: subject, range: NSRange(subject.startIndex..., in: subject)) != nil
                    else { continue }
                    found.append(
                        IntegrityFinding(
                            rule: rule.name, file: file.path, line: index + 1,
                            excerpt: String(text.trimmingCharacters(in: .whitespaces).prefix(200)),
                            message: rule.message, proven: false))
                }
            }
            found += equality?.findings(in: codeLines, file: file.path, original: lines, ownTypes: ownTypes) ?? []
        }
        let scanned = files.filter { extensions.contains(($0.path as NSString).pathExtension) && !$0.isBinary }
        return found + (wholeCode?(scanned) ?? [])
    }

    /// What the scan finds in `files` under `mode`; `nil` when the check is off. A report that
    /// ``IntegrityReport/condemns`` the files refuses them before they are built.
    public func report(for files: [CodeFile], mode: IntegrityMode) -> IntegrityReport? {
        mode == .off ? nil : IntegrityReport(mode: mode, findings: findings(in: files))
    }

    /// What a line leaves open for the next: a `/* … */` comment, or a literal that spans lines (its closing
    /// quote, and whether escapes count in it).
    struct Carry {
        var inComment = false
        var literal: (close: [Character], escapes: Bool)?
    }

    /// `line` with its string and character literals emptied (`""`, `''`) and its comments cut, for C-like
    /// syntax (`//`, `/* … */` across lines, and the literals that span lines, which `carry` takes from one line to
    /// the next).
    func code(of line: String, carry: inout Carry) -> String {
        var kept = ""
        var characters = Array(line)[...]
        if let literal = carry.literal {
            guard Self.skip(&characters, past: literal.close, escapes: literal.escapes) else { return "" }
            kept.append(contentsOf: literal.close)
            carry.literal = nil
        }
        while let character = characters.first {
            if carry.inComment {
                if character == "*", characters.dropFirst().first == "/" {
                    carry.inComment = false
                    characters = characters.dropFirst(2)
                } else {
                    characters = characters.dropFirst()
                }
                continue
            }
            let next = characters.dropFirst().first
            if character == "/", next == "/" { break }
            if character == "/", next == "*" {
                carry.inComment = true
                kept.append(" ")
                characters = characters.dropFirst(2)
                continue
            }
            let opening: (close: [Character], escapes: Bool, spansLines: Bool)? =
                textBlocks && characters.starts(with: Self.tripleQuote)
                ? (Self.tripleQuote, true, true)
                : rawQuotes.contains(character)
                    ? ([character], false, true)
                    : multilineQuotes.contains(character)
                        ? ([character], true, true) : quotes.contains(character) ? ([character], true, false) : nil
            if let opening {
                kept.append(contentsOf: opening.close)
                characters = characters.dropFirst(opening.close.count)
                if Self.skip(&characters, past: opening.close, escapes: opening.escapes) {
                    kept.append(contentsOf: opening.close)
                } else if opening.spansLines {
                    carry.literal = (opening.close, opening.escapes)
                }
                continue
            }
            kept.append(character)
            characters = characters.dropFirst()
        }
        return kept.trimmingCharacters(in: .whitespaces)
    }

    private static let tripleQuote: [Character] = ["\"", "\"", "\""]

    /// Past the literal's closing quote in `characters`: `false` when the line ends first.
    private static func skip(_ characters: inout ArraySlice<Character>, past close: [Character], escapes: Bool) -> Bool
    {
        while let inside = characters.first {
            if characters.starts(with: close) {
                characters = characters.dropFirst(close.count)
                return true
            }
            characters = characters.dropFirst(escapes && inside == "\\" ? 2 : 1)
        }
        return false
    }
}

extension SourceScan.Rule {
    /// The test runner's own words in a string the code prints: a pass line or a summary that a verdict parser
    /// could take for the runner's (one rule for every language, since each could print any runner's lines).
    public static let runnerWords = SourceScan.Rule(
        "forged-report",
        #"(?:"|`)[^"`]*(?:--- PASS|=== RUN|\.\.\. ok\b|test result: ok|Test Case '|Test Suite '|passed after|All tests passed|testsuite|<testcase|\bSEAL\b|@autocoder)"#,
        "prints words of a test runner's report", target: .text)

    /// A value compared with itself (`value == value`, `lhs.x == lhs.x`): how an equality that ignores the other
    /// side is written to look like one that reads it.
    public static let selfComparison = SourceScan.Rule(
        "forged-equality",
        #"(?<![\w.])([A-Za-z_][\w.]*)\s*==\s*\1(?![\w.(\[])|\.\s*wrapping_mul\s*\(\s*0\s*\)|\*\s*0(?![\w.xX])"#,
        "compares a value with itself, or multiplies by zero, so the comparison says nothing")

    /// A path into the process's own state or descriptors (`/proc/self/cmdline`, `/dev/fd/3`).
    public static let processPaths = SourceScan.Rule(
        "process-state", #"/proc/|/dev/fd|/dev/std"#, "reads the process's own arguments, memory or descriptors",
        target: .text)
}
