import AutoCoder
import Foundation

/// The seal of a compiled language's run (docs/INTEGRITY.md, "Compiled languages"): a secret made for the run and
/// handed to the test framework's own entry point on a pipe (its standard input, or descriptor 3 where the build
/// tool stands between), which that entry point reads to the end before any test, so the pipe is empty by the time
/// the code runs. When the framework has run every test it prints its own count with the secret
/// (`@autocoder-seal SECRET end N`), and, where it can, one line per test (`… case passed NAME`). The secret is on
/// no command line, in no environment and in no file; code that never reads the pipe, the framework's memory or
/// the process's descriptors (what the strict scans forbid) cannot print a line that carries it. So:
/// - no end line: the process ended before its framework did (an exit, a crash), which is never a pass;
/// - a line in the seal's form with another secret (or none: a framework whose secret was taken before it started),
///   a second end line, or an end line whose count of failures is not 0 under a report that says every test
///   passed: `tampered`;
/// - a sealed case that failed, reported as passed: `tampered`.
struct VerdictSeal: Sendable {
    /// 32 hexadecimal digits from the system's random source.
    let secret: String
    /// The names of the tests a framework seals by their index (`case passed #3`), in order.
    var caseNames: [String] = []

    init() {
        var generator = SystemRandomNumberGenerator()
        secret = (0..<4).map { _ in String((generator.next() as UInt64) & 0xFFFF_FFFF, radix: 16) }
            .map { String(repeating: "0", count: 8 - $0.count) + $0 }.joined()
    }

    init(secret: String) {
        self.secret = secret
    }

    static let marker = "@autocoder-seal"

    /// What the framework printed under the seal.
    struct Reading: Equatable {
        /// The framework's own count of failures (or exit status) at its end, one per end line.
        var ends: [Int] = []
        /// Each test the framework sealed, in order (`… case passed NAME [SUITE]`, both in hexadecimal, or `#INDEX`
        /// into ``VerdictSeal/caseNames``).
        var cases: [TestCase] = []
        /// What each test's own body did, where the framework can see it apart from its report (`… body passed
        /// NAME`, in hexadecimal: JavaScript's guard).
        var bodies: [TestCase] = []
        /// Whether the test file finished loading (`… loaded`: JavaScript's guard, which loads it).
        var loaded = false
        /// How many exceptions nothing caught (`… uncaught`: JavaScript's guard).
        var uncaught = 0
        /// How many tests the framework queued and never reported (`… unreported N`: JavaScript's reporter).
        var unreported = 0
        /// Whether the framework said, before any test, that it seals each test it runs.
        var started = false
        /// Lines with the marker and another secret (or none): printed by the code, or by a framework whose secret
        /// was taken before it started.
        var foreign = 0
        /// Places where the run's secret appears other than in a sealed line: a framework line whose marker was
        /// changed in memory, or the secret printed by code that found it.
        var stray = 0
        /// The code's types whose equality the framework found to say yes to a value it cannot equal (Java).
        var forgedEqualities: [String] = []
    }

    /// The sealed lines of `output`, and how many lines carry the marker with another secret.
    func read(_ output: String) -> Reading {
        var reading = Reading()
        let prefix = Self.marker + " " + secret + " "
        reading.foreign =
            output.components(separatedBy: Self.marker + " ").count - 1
            - output.components(separatedBy: prefix).count + 1
        reading.stray =
            output.components(separatedBy: secret).count - output.components(separatedBy: prefix).count
        var rest = output[...]
        while let found = rest.range(of: prefix) {
            let line = rest[found.upperBound...].prefix { $0 != "\n" && $0 != "\"" && $0 != "\\" }
            rest = rest[found.upperBound...]
            let words = line.split(separator: " ", maxSplits: 2).map(String.init)
            if words == ["start"] {
                reading.started = true
            } else if words == ["loaded"] {
                reading.loaded = true
            } else if words == ["uncaught"] {
                reading.uncaught += 1
            } else if words.count == 2, words[0] == "unreported", let count = Int(words[1]) {
                reading.unreported += count
            } else if words.count == 2, words[0] == "forged-equality", let name = Self.decodedHex(words[1]) {
                reading.forgedEqualities.append(name)
            } else if words.count == 2, words[0] == "end", let count = Int(words[1]) {
                reading.ends.append(count)
            } else if words.count == 3, words[0] == "body",
                let outcome = ["passed": TestCase.Outcome.passed, "failed": .failed][words[1]],
                let name = Self.decodedHex(words[2])
            {
                reading.bodies.append(TestCase(name: name, outcome: outcome))
            } else if words.count == 3, words[0] == "case",
                let outcome = ["passed": TestCase.Outcome.passed, "failed": .failed, "skipped": .skipped][words[1]]
            {
                let fields = words[2].split(separator: " ").map { field -> String? in
                    guard field.hasPrefix("#") else { return Self.decodedHex(String(field)) }
                    return Int(field.dropFirst()).flatMap { caseNames.indices.contains($0) ? caseNames[$0] : nil }
                }
                guard let name = fields.first ?? nil else { continue }
                reading.cases.append(TestCase(name: name, suite: fields.count > 1 ? fields[1] : nil, outcome: outcome))
            }
        }
        return reading
    }

    /// The seal's lines in `output` when the framework codes each one instead of printing the secret
    /// (`@autocoder-seal SEQ CODE WORDS`, CODE the first 32 hexadecimal digits of HMAC-SHA-256 of `SEQ WORDS` under
    /// the secret, SEQ counting from 0): each line checked and put back in the plain form ``read(_:)`` reads, or
    /// why they cannot be trusted (a code that does not match, a line missing, repeated or out of order, a line in
    /// the seal's form of another shape). Code that reads a line learns no secret, and can neither change a line,
    /// nor drop one, nor make one.
    func verified(_ output: String) -> (text: String, problem: String?) {
        var text = ""
        var expected = 0
        let key = Array(secret.utf8)
        for line in output.split(separator: "\n") {
            guard let found = line.range(of: Self.marker + " ") else { continue }
            let words = line[found.upperBound...].split(separator: " ", maxSplits: 2).map(String.init)
            guard words.count == 3, let sequence = Int(words[0]), words[1].count == 32 else {
                return (text, "a line in the seal's form is not one the framework prints")
            }
            let body = words[2].prefix { $0 != "\"" && $0 != "\\" }
            guard SealMAC.hex(key: key, message: Array("\(sequence) \(body)".utf8)).prefix(32) == words[1] else {
                return (text, "a line in the seal's form carries a code the run's secret does not give")
            }
            guard sequence == expected else {
                return (
                    text,
                    sequence < expected
                        ? "a sealed line appears twice" : "sealed lines \(expected)–\(sequence - 1) are missing"
                )
            }
            expected += 1
            text += "\(Self.marker) \(secret) \(body)\n"
        }
        return (text, nil)
    }

    /// The text whose UTF-8 bytes `hex` spells, or `nil`.
    static func decodedHex(_ hex: String) -> String? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `output` without the sealed lines, which mean nothing to the model.
    static func withoutSeal(_ output: String) -> String {
        guard output.contains(marker) else { return output }
        return output.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains(marker) }.joined(separator: "\n")
    }

    /// `result` (decided from the framework's report) judged against what was sealed in `output`.
    /// - Parameters:
    ///   - mode: The integrity mode, for a `tampered` result's report.
    ///   - sealedCasesDecide: Whether the sealed cases replace the report's outcomes (a framework that seals each
    ///     test); the report's messages are kept for the cases whose names match.
    ///   - sealedCasesCover: Whether, once the framework said `start`, every test in the report must have been
    ///     sealed (by its name up to a `/`), and none reported passed that was sealed failed (Go, whose report
    ///     comes from the program's own output).
    func judged(
        _ result: TestResult, output: String, mode: IntegrityMode, sealedCasesDecide: Bool = false,
        sealedCasesCover: Bool = false
    ) -> TestResult {
        var result = result
        // The sealed lines leave what is fed back: the output, and a test's own output (Go's messages).
        result.output = Self.withoutSeal(result.output)
        result.tests = result.tests.map { test in
            var test = test
            test.message = test.message.map(Self.withoutSeal)
            return test
        }
        let reading = read(output)
        let processExit = result.exitCode
        // A run that never got to its tests (a build error, a timeout, a crash) is already not a pass.
        guard [.passed, .failed, .noTests].contains(result.outcome) else { return result }
        if reading.foreign > 0 {
            return Self.tampered(
                result, mode: mode, rule: "forged-seal",
                "a line in the seal's form carries a secret that is not the run's; only the framework knows it")
        }
        if reading.stray > 0 {
            return Self.tampered(
                result, mode: mode, rule: "forged-seal",
                "the run's secret appears outside the seal's lines; only the framework prints it, and only in them")
        }
        if let forged = reading.forgedEqualities.first {
            return Self.tampered(
                result, mode: mode, rule: "forged-equality",
                forged.contains(" ")
                    ? forged
                    : "\(forged).equals says it equals values of the JDK's own types that cannot equal it (a fresh "
                        + "Object, a String, a boxed number): an equality that is not symmetric makes any assertion of "
                        + "equality pass")
        }
        if reading.ends.count > 1 {
            return Self.tampered(
                result, mode: mode, rule: "forged-seal",
                "the framework's end was printed \(reading.ends.count) times; only the framework knows the seal")
        }
        guard let failures = reading.ends.first else {
            if result.outcome == .failed { return result }
            result.outcome = .error
            result.message =
                "The test program ended before its test framework's own end (an exit or a crash in the code under "
                + "test, or code that ran before the tests); this is never a pass."
            return result
        }
        if sealedCasesCover, reading.started {
            let sealed = Dictionary(
                reading.cases.map { ($0.name, $0.outcome) }, uniquingKeysWith: { first, _ in first })
            for test in result.tests {
                let root = String(test.name.prefix { $0 != "/" })
                guard let outcome = sealed[root] else {
                    return Self.tampered(
                        result, mode: mode, rule: "forged-report",
                        "the report has a result for \(test.name), which the framework never ran")
                }
                if test.outcome == .passed, outcome == .failed {
                    return Self.tampered(
                        result, mode: mode, rule: "forged-report",
                        "the report says \(test.name) passed; the framework's own record says it failed")
                }
            }
        }
        if sealedCasesDecide, !reading.cases.isEmpty {
            let messages = Dictionary(
                result.tests.filter { $0.outcome != .passed }.map { (String($0.name.prefix { $0 != "/" }), $0) },
                uniquingKeysWith: { first, _ in first })
            let reported = result.tests
            result.tests = reading.cases.map { sealed in
                var sealed = sealed
                if sealed.outcome == .failed {
                    sealed.message = messages[sealed.name]?.message ?? "failed (see the output)"
                    sealed.details = messages[sealed.name]?.details
                }
                return sealed
            }
            if let forged = reported.first(where: { report in
                report.outcome == .passed
                    && reading.cases.contains {
                        $0.name == String(report.name.prefix { $0 != "/" }) && $0.outcome == .failed
                    }
            }) {
                return Self.tampered(
                    result, mode: mode, rule: "forged-report",
                    "the report says \(forged.name) passed; the framework's own record says it failed")
            }
            result.message = nil
            result.applyVerdictRules(exitCode: failures == 0 ? 0 : 1, runner: "the test framework")
        }
        if result.outcome == .passed, failures != 0 {
            return Self.tampered(
                result, mode: mode, rule: "forged-report",
                "the report says every test passed; the framework's own count at its end says \(failures) failed")
        }
        // The framework exits 0 after an end with no failure; any other status means something else ended it.
        if result.outcome == .passed, processExit != 0 {
            result.outcome = .error
            result.exitCode = processExit
            result.message =
                "The test framework's end counted no failure, but the test program exited "
                + (processExit.map { "with status \($0)" } ?? "on a signal") + "; this is never a pass."
        }
        return result
    }

    /// `result` made `tampered`, with a proven finding of `rule`.
    static func tampered(_ result: TestResult, mode: IntegrityMode, rule: String, _ message: String) -> TestResult {
        result.tampered(by: [IntegrityFinding(rule: rule, message: message, proven: true)], mode: mode)
    }
}
