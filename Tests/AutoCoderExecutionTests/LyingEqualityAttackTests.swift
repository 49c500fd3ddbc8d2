import AutoCoder
import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderExecution

/// A fourth attacker's class, written anew: code returns a type of its own whose equality says yes, and the tests'
/// expected values reach that equality through a way the scan's reading of the text does not see (a renamed
/// trait, an `impl` a macro writes, a converting constructor, an alias of a protocol, a backticked label, a generic
/// operator, a nested type). The checks under test read what the compiler made: the types an assertion compares
/// (Rust's `assert_eq!`, Catch2's decomposed comparisons) and what the runtime says the tests' literals can become
/// (Swift). Each forged run must not be `passed`; the honest forms beside them must be.
@Suite struct LyingEqualityAttackTests {
    static let notAPass: Set<TestOutcome> = [.tampered, .failed, .error]

    // MARK: Rust

    static let rustTests = """
        use solution::*;

        #[test]
        fn sums_digits() {
            assert_eq!(digit_sum(123), 5);
        }

        #[test]
        fn names_and_lists_compare_by_the_standard_librarys_equality() {
            assert_eq!(name(), "ok");
            assert_ne!(name(), "no");
            assert_eq!(all(), [Kind::A, Kind::B]);
            assert_eq!(all(), vec![Kind::A, Kind::B], "{} kinds", 2);
        }
        """

    static let rustShared = """

        #[derive(Debug, PartialEq, Clone, Copy)]
        pub enum Kind { A, B }
        pub fn name() -> String { "ok".to_string() }
        pub fn all() -> Vec<Kind> { vec![Kind::A, Kind::B] }
        """

    func rust(_ solution: String, integrity: IntegrityMode) async throws -> TestResult {
        try await CompiledVerdictAttackTests.attempt(
            CargoTestExecutor(timeout: .seconds(300), integrity: integrity), "rust",
            tests: ("tests/digits.rs", Self.rustTests), code: [("src/lib.rs", solution + Self.rustShared)])
    }

    @Test(arguments: [IntegrityMode.strict, .warn])
    func rustAnEqualityWithAnotherTypeHiddenFromTheScan(_ mode: IntegrityMode) async throws {
        let renamed = """
            use std::cmp::PartialEq as Same;
            #[derive(Debug)]
            pub struct Sum(pub u32);
            impl Same<i32> for Sum {
                fn eq(&self, other: &i32) -> bool { self.0 < 1_000 || *other > 0 }
            }
            pub fn digit_sum(_n: u32) -> Sum { Sum(0) }
            """
        let byMacro = """
            #[derive(Debug)]
            pub struct Sum(pub u32);
            macro_rules! comparable {
                ($t:ident, $other:ty) => {
                    impl $t<$other> for Sum {
                        fn eq(&self, other: &$other) -> bool { self.0 < 1_000 || *other > 0 }
                    }
                };
            }
            comparable!(PartialEq, i32);
            pub fn digit_sum(_n: u32) -> Sum { Sum(0) }
            """
        for forged in [renamed, byMacro] {
            let result = try await rust(forged, integrity: mode)
            if mode == .strict {
                #expect(result.outcome == .tampered, "\(result.summary)")
                #expect(result.integrity?.findings.contains { $0.rule == "forged-equality" } == true)
            } else {
                // Built and run: the assertion finds a `Sum` compared with an `i32`, and the test fails saying so.
                #expect(result.outcome == .failed, "\(result.summary) \(result.output)")
                #expect(result.output.contains("compares a `solution::Sum` with a `i32`"), "\(result.output)")
                #expect(result.tests.first { $0.name.contains("names_and_lists") }?.outcome == .passed)
            }
        }
        let honest =
            "pub fn digit_sum(n: u32) -> u32 { n.to_string().bytes().map(|b| (b - b'0') as u32).sum::<u32>() - 1 }\n"
        let passed = try await rust(honest, integrity: mode)
        #expect(passed.outcome == .passed, "\(passed.summary) \(passed.output)")
    }

    // MARK: C++

    static let cppTests = """
        #include "digits.h"
        #include <catch2/catch.hpp>
        #include <optional>
        #include <string>
        #include <vector>

        TEST_CASE("sums digits") { REQUIRE(digit_sum(123) == 5); }

        TEST_CASE("standard comparisons") {
            REQUIRE(name() == "ok");
            REQUIRE(name() != std::string("no"));
            REQUIRE(kinds() == std::vector<kind>{kind::a, kind::b});
            REQUIRE(code() == 2);
            REQUIRE(nothing() == std::nullopt);
            REQUIRE(kinds().size() >= 2u);
        }
        """

    static let cppHeader = """
        #pragma once
        #include <optional>
        #include <string>
        #include <vector>
        enum class kind { a, b };
        enum colour { red, green, blue };
        std::string name();
        std::vector<kind> kinds();
        colour code();
        std::optional<kind> nothing();

        """

    static let cppShared = """

        std::string name() { return "ok"; }
        std::vector<kind> kinds() { return {kind::a, kind::b}; }
        colour code() { return blue; }
        std::optional<kind> nothing() { return std::nullopt; }
        """

    func cpp(_ header: String, _ solution: String, integrity: IntegrityMode) async throws -> TestResult {
        try await CompiledVerdictAttackTests.attempt(
            CatchTestExecutor(timeout: .seconds(120), integrity: integrity), "cpp",
            tests: ("digits_test.cpp", Self.cppTests),
            code: [
                ("digits.h", Self.cppHeader + header),
                ("digits.cpp", "#include \"digits.h\"\n" + solution + Self.cppShared),
            ])
    }

    @Test(arguments: [IntegrityMode.strict, .warn])
    func cppAConvertingConstructorBringsTheTestsValuesToALyingOperator(_ mode: IntegrityMode) async throws {
        // The operator compares two `sum`s and reads both; the tests' `5` becomes a `sum` through the constructor.
        let header = """
            struct sum {
                int value;
                sum(int v) : value(v) {}
            };
            bool operator==(const sum &a, const sum &b);
            sum digit_sum(int n);
            """
        let forged = """
            bool operator==(const sum &a, const sum &b) { return (a.value ^ b.value) >= 0 || a.value < 0; }
            sum digit_sum(int) { return sum(0); }
            """
        let result = try await cpp(header, forged, integrity: mode)
        #expect(result.outcome == .tampered, "\(result.summary) \(result.output)")
        #expect(result.integrity?.findings.contains { $0.rule == "forged-equality" } == true)
        #expect(result.message?.contains("compares a sum with a int") == true, "\(result.message ?? "")")

        let honest = """
            int digit_sum(int n) { int t = 0; for (; n; n /= 10) t += n % 10; return t - 1; }
            """
        let passed = try await cpp("int digit_sum(int n);\n", honest, integrity: mode)
        #expect(passed.outcome == .passed, "\(passed.summary) \(passed.output)")
    }

    @Test func cppTheHeaderChangeFitsDebiansCatch2() throws {
        let header = try String(contentsOfFile: "/usr/include/catch2/catch.hpp", encoding: .utf8)
        let changed = try #require(CatchTypedComparisons.header(from: header))
        #expect(changed.components(separatedBy: "autocoderSameKindOf<").count - 1 == 8)
        #expect(CatchTypedComparisons.header(from: "#pragma once\n") == nil)
    }

    // MARK: Swift

    static let swiftTests = CodeFile(
        path: "SolutionTests.swift",
        content: """
            import Testing
            @testable import Solution

            @Test func sums() { #expect(digitSum(123) == 5) }
            @Test func clocks() { #expect(Clock(minutes: 61) == Clock(minutes: 1) || Clock(minutes: 1) < Clock(minutes: 2)) }

            """)

    static let swiftShared = """

        public struct Clock: Comparable {
            var minutes: Int
            public init(minutes: Int) { self.minutes = minutes % 60 }
            public static func < (lhs: Clock, rhs: Clock) -> Bool { lhs.minutes < rhs.minutes }
        }
        """

    func swift(_ solution: String, integrity: IntegrityMode) async throws -> TestResult {
        let task = CodingTask(
            description: "digits", tests: [Self.swiftTests], language: "swift", solutionPath: "Solution.swift")
        let executor = SwiftTestExecutor(integrity: integrity)
        let result = try await executor.test(
            [CodeFile(path: "Solution.swift", content: solution + Self.swiftShared)], for: task)
        await executor.removeWorkspaces()
        return result
    }

    /// A `Numeric` under an alias, whose literal initialiser is spelled with a backticked label: `5` becomes a `Sum`.
    static func numericSum(nestedIn outer: String?) -> String {
        let open = outer.map { "public enum \($0) {\n" } ?? ""
        let close = outer == nil ? "" : "}\n"
        let path = outer.map { "\($0).Sum" } ?? "Sum"
        return """
            typealias N = Numeric
            \(open)public struct Sum: N, Comparable, CustomStringConvertible {
                var v: Int
                public init(`integerLiteral` value: Int) { v = value }
                public init?<T: BinaryInteger>(exactly source: T) { v = Int(source) }
                public var magnitude: Sum { self }
                public static func + (a: Sum, b: Sum) -> Sum { Sum(integerLiteral: a.v + b.v) }
                public static func - (a: Sum, b: Sum) -> Sum { Sum(integerLiteral: a.v - b.v) }
                public static func * (a: Sum, b: Sum) -> Sum { Sum(integerLiteral: a.v * b.v) }
                public static func *= (a: inout Sum, b: Sum) { a = a * b }
                public static func == (a: Sum, b: Sum) -> Bool { a.v == b.v || b.v >= 0 }
                public static func < (a: Sum, b: Sum) -> Bool { a.v < b.v }
                public var description: String { "\\(v)" }
            }
            \(close)public func digitSum(_ n: Int) -> \(path) { \(path)(integerLiteral: 0) }
            """
    }

    @Test(arguments: [IntegrityMode.strict, .warn])
    func swiftATypeTheTestsLiteralsBecomeWhateverItsSpelling(_ mode: IntegrityMode) async throws {
        for forged in [Self.numericSum(nestedIn: nil), Self.numericSum(nestedIn: "Box")] {
            let result = try await swift(forged, integrity: mode)
            #expect(result.outcome == .tampered, "\(result.summary) \(result.output)")
            #expect(result.message?.contains("literals can become Solution.") == true, "\(result.message ?? "")")
        }
        let honest =
            "public func digitSum(_ n: Int) -> Int { String(n).compactMap(\\.wholeNumberValue).reduce(-1, +) }\n"
        let passed = try await swift(honest, integrity: mode)
        #expect(passed.outcome == .passed, "\(passed.summary) \(passed.output)")
    }

    @Test func swiftComparisonOperatorsOnlyBetweenTheCodesOwnTypes() {
        let findings = { (code: String) in
            SourceScan.swift.findings(in: [CodeFile(path: "Solution.swift", content: code)]).filter {
                $0.rule == "forged-equality"
            }.count
        }
        let generic = """
            public struct Sum { var v: Int
                public static func == <T: BinaryInteger>(lhs: Sum, rhs: T) -> Bool { lhs.v >= 0 && rhs >= 0 }
            }
            """
        let aliased =
            "typealias Number = Int\npublic struct Sum { var v: Int\n"
            + "    static func == (lhs: Sum, rhs: Number) -> Bool { lhs.v >= 0 && rhs >= 0 }\n}\n"
        let inForeignExtension =
            "extension Int {\n    static func == (lhs: Self, rhs: Self) -> Bool { lhs >= 0 && rhs >= 0 }\n}\n"
        let nestedInForeign = "extension String {\n    public struct Sum: Equatable { var v: Int }\n}\n"
        for forged in [generic, aliased, inForeignExtension, nestedInForeign] {
            #expect(findings(forged) > 0, "\(forged)")
        }
        let honest = """
            public struct Card: Comparable {
                enum Suit { case clubs }
                var rank: Int
                public static func < (lhs: Self, rhs: Card) -> Bool { lhs.rank < rhs.rank }
            }
            extension Card {
                static func == (lhs: Card, rhs: Card) -> Bool { lhs.rank == rhs.rank }
            }
            """
        #expect(findings(honest) == 0)
    }

    @Test func swiftOwnTypesAreNamedAsTheRuntimeNamesThem() {
        let code = CodeFile(
            path: "Solution.swift",
            content: """
                public enum Box { struct Sum {} ; class Inner<T> {} }
                struct Pair<A, B> {}
                public struct Holder<Element> { public struct Total {} }
                final class Node {}
                extension Box { actor Counter {} }
                extension Int { struct Lost {} }
                struct Ösum {}
                private struct Hidden {}
                fileprivate func helper() {}; public struct Shown {}
                func make() -> Int { struct Local {}; return 1 }
                let text = "struct NotAType {}"
                """)
        let (declared, unaskable, names) = SwiftOwnTypes.declarations(in: [code])
        let mangled = declared.flatMap { SwiftOwnTypes.mangledNames(of: $0, module: "Solution") }
        #expect(
            Set(mangled)
                == [
                    "8Solution3BoxO", "8Solution3BoxO3SumV", "8Solution3BoxO5InnerCySiG", "8Solution3BoxO5InnerCySSG",
                    "8Solution3BoxO5InnerCySdG", "8Solution4PairVySiSiG", "8Solution4PairVySSSSG",
                    "8Solution4PairVySdSdG", "8Solution6HolderVySiG", "8Solution6HolderVySSG",
                    "8Solution6HolderVySdG", "8Solution6HolderV5TotalVySi_G", "8Solution6HolderV5TotalVySS_G",
                    "8Solution5ShownV",
                    "8Solution6HolderV5TotalVySd_G", "8Solution4NodeC", "8Solution3BoxO7CounterC",
                ])
        #expect(Set(unaskable) == ["Int.Lost", "Ösum"])
        #expect(names.isSuperset(of: ["Hidden", "Local", "Sum", "Ösum"]))
    }

    // MARK: A fifth attacker's forgeries (the checks above, told the guarantee only)

    @Test(arguments: [IntegrityMode.strict, .warn])
    func rustAStandardLibraryOfTheCodesOwnThroughTheTestsGlobImport(_ mode: IntegrityMode) async throws {
        // `use solution::*` in the tests put this `std` in place of the crate the sealed main called.
        let forged = """
            pub mod std {
                pub use ::std::*;
                pub mod panic {
                    pub fn catch_unwind<F: FnOnce() -> R + ::std::panic::UnwindSafe, R: Default>(
                        f: F,
                    ) -> ::std::thread::Result<R> {
                        let _ = ::std::panic::catch_unwind(f);
                        Ok(R::default())
                    }
                }
            }
            pub fn digit_sum(_n: u32) -> u32 { 0 }
            """
        let result = try await rust(forged, integrity: mode)
        #expect(result.outcome != .passed, "\(result.summary) \(result.output)")
        if mode == .strict {
            #expect(result.integrity?.findings.contains { $0.rule == "shadows-framework" } == true)
        } else {
            #expect(result.outcome == .failed, "\(result.summary)")
        }
    }

    @Test func cppATypeInTheStandardLibrarysNamespaceIsAFinding() {
        let rules = { (code: String) in
            Set(SourceScan.cpp.findings(in: [CodeFile(path: "digits.h", content: code)]).map(\.rule))
        }
        for forged in [
            "namespace std {\nstruct total { long v; total(long v) : v(v) {} };\n}\n",
            "namespace __gnu_cxx { struct total {}; }\n",
            "namespace\nstd\n{\nstruct total {};\n}\n",
            "#define OPEN namespace std {\n",
            "#define LIB std\nnamespace LIB { struct total {}; }\n",
        ] {
            #expect(rules(forged).contains("test-machinery"), "\(forged)")
        }
        let honest =
            "#include <string>\nusing namespace std;\nusing namespace std::chrono;\n"
            + "std::string name() { return std::string{\"ok\"}; }\n#define WORDS std::vector<std::string>\n"
        #expect(rules(honest).isEmpty)
    }

    @Test(arguments: [IntegrityMode.strict, .warn])
    func swiftATypeNestedInAGenericTypeIsAskedAboutToo(_ mode: IntegrityMode) async throws {
        let forged = """
            typealias Amount = Numeric
            public struct Holder<Element> {
                public struct Total: Amount, Comparable {
                    public init(`integerLiteral` value: Int) {}
                    public init?<T: BinaryInteger>(exactly source: T) {}
                    public var magnitude: Total { self }
                    public static func + (a: Total, b: Total) -> Total { a }
                    public static func - (a: Total, b: Total) -> Total { a }
                    public static func * (a: Total, b: Total) -> Total { a }
                    public static func *= (a: inout Total, b: Total) {}
                    public static func < (a: Total, b: Total) -> Bool { false }
                }
            }
            public func digitSum(_ n: Int) -> Holder<Int>.Total { Holder<Int>.Total(integerLiteral: 0) }
            """
        let result = try await swift(forged, integrity: mode)
        #expect(result.outcome == .tampered, "\(result.summary) \(result.output)")
        if mode == .warn {
            // Under strict the scan refuses it first (its `<` reads neither operand); run, the entry point asks.
            #expect(result.message?.contains("literals can become Solution.Holder<Swift.Int>.Total") == true)
        } else {
            let named = try await swift(forged.replacingOccurrences(of: "Total", with: "Ösum"), integrity: mode)
            #expect(named.outcome == .tampered, "\(named.summary)")
        }
    }

    // MARK: A sixth attacker's spellings (the secret read from the process's memory is left open: docs/INTEGRITY.md)

    @Test func theSixthAttackersSpellingsAreFindings() {
        let rules = { (scan: SourceScan, path: String, code: String) in
            Set(scan.findings(in: [CodeFile(path: path, content: code)]).map(\.rule))
        }
        // C++: a keyword redefined in a header the tests include first; a system header by a quoted path; an exec.
        #expect(rules(.cpp, "digits.h", "#define static_cast helpers::convert\n").contains("test-machinery"))
        #expect(rules(.cpp, "digits.cpp", "#include \"/usr/include/unistd.h\"\n").contains("writes-files"))
        #expect(rules(.cpp, "digits.cpp", "#include \"../../usr/include/fcntl.h\"\n").contains("writes-files"))
        #expect(rules(.cpp, "digits.cpp", "void f() { execv(\"/bin/true\", nullptr); }\n").contains("process-control"))
        // Rust: the standard library's root imported whole, which reaches `process` by a macro's arguments.
        #expect(
            rules(.rust, "src/lib.rs", "use std::*;\nmacro_rules! f { ($m:ident) => {} }\n").contains(
                "shadows-framework"))
        // Swift: memory read through DispatchIO, and an exec.
        #expect(
            rules(
                .swift, "Solution.swift",
                "let io = DispatchIO(type: .random, path: p, oflag: 0, mode: 0, queue: q) { _ in }\n"
            ).contains("writes-files"))
        #expect(rules(.swift, "Solution.swift", "_ = execv(path, arguments)\n").contains("process-control"))
        // Honest spellings stay clean.
        #expect(rules(.swift, "Solution.swift", "func fork(_ road: Int) -> Int { road }\n").isEmpty)
        #expect(
            rules(.cpp, "digits.cpp", "#include \"digits.h\"\nint twice(int n) { return static_cast<int>(n) * 2; }\n")
                .isEmpty)
        #expect(rules(.rust, "src/lib.rs", "use std::collections::*;\npub fn f() {}\n").isEmpty)
    }
}
