// autocoder's entry point for a Swift test run (docs/INTEGRITY.md, "Compiled languages"), compiled into the
// tests' own program in place of the one SwiftPM generates. It reads the run's seal from its standard input to the
// end before any test, runs the XCTest classes autocoder listed below and then every Swift Testing test, and
// prints each test's outcome and its count of failures with the seal. Not editable by the generator.
import Foundation
import XCTest

/// The XCTest classes of the test files and their tests, written in by autocoder for each run.
func autocoderXCTestEntries() -> [XCTestCaseEntry] {
    [
        // autocoder: entries
    ]
}

/// The code's own types, each by its name and the mangled names to ask the runtime for (a generic one with a few
/// argument types), written in by autocoder for each run: the runtime is asked before any test whether the tests'
/// literals can become one of them (docs/INTEGRITY.md).
func autocoderOwnTypes() -> [(String, [String])] {
    [
        // autocoder: own types
    ]
}

/// The literals of the tests that can become `type`, or `nil`.
func autocoderLiterals(_ type: Any.Type) -> String? {
    let kinds: [(String, Bool)] = [
        ("integer", type is any ExpressibleByIntegerLiteral.Type),
        ("floating-point", type is any ExpressibleByFloatLiteral.Type),
        ("string", type is any ExpressibleByUnicodeScalarLiteral.Type),
        ("Boolean", type is any ExpressibleByBooleanLiteral.Type),
        ("array", type is any ExpressibleByArrayLiteral.Type),
        ("dictionary", type is any ExpressibleByDictionaryLiteral.Type),
        ("nil", type is any ExpressibleByNilLiteral.Type),
    ]
    let found = kinds.filter(\.1).map(\.0)
    return found.isEmpty ? nil : found.joined(separator: ", ")
}

/// One test of an XCTest class.
func autocoderTest<T: XCTestCase>(
    _ name: String, _ test: @escaping (T) -> () throws -> Void
) -> (String, (T) -> () throws -> Void) {
    (name, test)
}

/// One `async` test of an XCTest class.
func autocoderTest<T: XCTestCase>(
    _ name: String, _ test: @escaping (T) -> () async throws -> Void
) -> (String, (T) -> () throws -> Void) {
    (name, asyncTest(test))
}

@main
enum AutocoderSealedTests {
    static func main() async {
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        let lines = input.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let seal = AutocoderSeal(secret: lines.first ?? "")
        seal.write("start")
        for (name, mangled) in autocoderOwnTypes() {
            let types = mangled.compactMap { _typeByName($0) }
            if types.isEmpty {
                let reason =
                    "the runtime cannot name \(name), a type of the code's own, so whether the tests' literals can "
                    + "become it (and its equality judge their expected values) cannot be checked (docs/INTEGRITY.md)"
                seal.write("forged-equality \(AutocoderSeal.hex(reason))")
            }
            for type in types {
                guard let literals = autocoderLiterals(type) else { continue }
                let reason =
                    "the tests' \(literals) literals can become \(String(reflecting: type)), a type of the code's own, "
                    + "whose equality then judges the tests' expected values and may say yes to anything (docs/INTEGRITY.md)"
                seal.write("forged-equality \(AutocoderSeal.hex(reason))")
            }
        }
        var failures = 0
        let entries = autocoderXCTestEntries()
        if !entries.isEmpty {
            let observer = AutocoderXCTestObserver(seal: seal)
            XCTestObservationCenter.shared.addTestObserver(observer)
            _ = XCTMain(entries, arguments: ["tests"], observers: nil)
            failures += observer.failures
        }
        failures += await AutocoderSwiftTesting.run(seal: seal, report: lines.count > 1 ? lines[1] : "")
        seal.write("end \(failures)")
        fflush(nil)
        exit(failures == 0 ? 0 : 1)
    }
}

/// Prints lines under the run's secret: `@autocoder-seal SECRET case passed NAME SUITE` (both in hexadecimal).
struct AutocoderSeal: Sendable {
    let secret: String

    func write(_ words: String) {
        print("@autocoder-seal \(secret) \(words)")
    }

    func test(_ outcome: String, name: String, suite: String) {
        write("case \(outcome) \(Self.hex(name)) \(Self.hex(suite))")
    }

    static func hex(_ text: String) -> String {
        text.utf8.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
            .joined()
    }
}

/// Seals each XCTest test as XCTest finishes it.
final class AutocoderXCTestObserver: NSObject, XCTestObservation, @unchecked Sendable {
    let seal: AutocoderSeal
    var failures = 0

    init(seal: AutocoderSeal) {
        self.seal = seal
    }

    func testCaseDidFinish(_ testCase: XCTestCase) {
        let parts = testCase.name.split(separator: ".").map(String.init)
        let outcome: String
        if testCase.testRun?.hasBeenSkipped == true {
            outcome = "skipped"
        } else if testCase.testRun?.hasSucceeded == true {
            outcome = "passed"
        } else {
            outcome = "failed"
            failures += 1
        }
        seal.test(outcome, name: parts.last ?? testCase.name, suite: parts.dropLast().joined(separator: "."))
    }
}

/// Runs every Swift Testing test through the library's entry point for tools, whose records arrive here.
enum AutocoderSwiftTesting {
    typealias EntryPoint =
        @convention(thin) @Sendable (
            UnsafeRawBufferPointer?, @escaping @Sendable (UnsafeRawBufferPointer) -> Void
        ) async throws -> Bool

    /// The number of tests that failed, plus one for a run that failed outside any test.
    static func run(seal: AutocoderSeal, report: String) async -> Int {
        // Linked only when a test file imports Testing.
        guard let symbol = dlsym(nil, "swt_abiv0_getEntryPoint") else { return 0 }
        let getEntryPoint = unsafeBitCast(symbol, to: (@convention(c) () -> UnsafeRawPointer).self)
        let entryPoint = unsafeBitCast(getEntryPoint(), to: EntryPoint.self)
        var configuration: [String: Any] = ["eventStreamVersion": 0]
        if !report.isEmpty { configuration["xunitOutput"] = report }
        let json = (try? JSONSerialization.data(withJSONObject: configuration)) ?? Data("{}".utf8)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: json.count, alignment: 1)
        defer { buffer.deallocate() }
        buffer.copyBytes(from: json)
        let records = AutocoderSwiftTestingRecords(seal: seal)
        do {
            _ = try await entryPoint(UnsafeRawBufferPointer(buffer)) { records.handle($0) }
        } catch {
            print("Swift Testing could not run: \(error)")
            return records.failures + 1
        }
        return records.failures
    }
}

/// Follows Swift Testing's records (event stream version 0): the test functions it found, the issues recorded in
/// each, and each function's end or skip, which it seals.
final class AutocoderSwiftTestingRecords: @unchecked Sendable {
    let seal: AutocoderSeal
    private let lock = NSLock()
    private var functions: [String: String] = [:]
    private var failed: Set<String> = []
    private var counted = 0

    init(seal: AutocoderSeal) {
        self.seal = seal
    }

    var failures: Int { lock.withLock { counted } }

    func handle(_ bytes: UnsafeRawBufferPointer) {
        guard let record = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
            let payload = record["payload"] as? [String: Any]
        else { return }
        lock.withLock {
            if record["kind"] as? String == "test" {
                if payload["kind"] as? String == "function", let id = payload["id"] as? String,
                    let name = payload["name"] as? String
                {
                    functions[id] = name
                }
                return
            }
            let id = payload["testID"] as? String
            switch payload["kind"] as? String {
            case "issueRecorded":
                let issue = payload["issue"] as? [String: Any]
                guard issue?["isKnown"] as? Bool != true, issue?["severity"] as? String != "warning" else { return }
                if let id, functions[id] != nil {
                    failed.insert(id)
                } else {
                    counted += 1
                }
            case "testSkipped":
                if let id, let name = functions[id] {
                    seal.test("skipped", name: name, suite: Self.suite(of: id, name))
                }
            case "testEnded":
                guard let id, let name = functions[id] else { return }
                let symbols = (payload["messages"] as? [[String: Any]] ?? []).compactMap { $0["symbol"] as? String }
                let passed = !failed.contains(id) && !symbols.contains("fail")
                if !passed { counted += 1 }
                seal.test(passed ? "passed" : "failed", name: name, suite: Self.suite(of: id, name))
            default:
                return
            }
        }
    }

    /// `Module.Suite` of `Module.Suite/name()/File.swift:3:4`, and `Module` of `Module.name()/File.swift:3:4`.
    static func suite(of id: String, _ name: String) -> String {
        var parts = id.split(separator: "/").map(String.init).dropLast()
        if parts.last == name {
            parts = parts.dropLast()
        } else if let last = parts.last, last.hasSuffix("." + name) {
            parts = parts.dropLast() + [String(last.dropLast(name.count + 1))]
        }
        return parts.joined(separator: ".")
    }
}
