import AutoCoder
import Foundation
import Testing

@testable import AutoCoderExecution

/// The pieces every compiled language's verdict goes through (``CompiledVerdict``): each language's scan finds the
/// attacks by rule and line and leaves honest look-alikes alone; the seal and the declared tests decide as
/// docs/INTEGRITY.md says.
@Suite struct CompiledVerdictTests {
    func rules(_ scan: SourceScan, _ path: String, _ content: String) -> [String] {
        scan.findings(in: [CodeFile(path: path, content: content)]).map { "\($0.rule):\($0.line ?? 0)" }
    }

    @Test func honestLookAlikesHaveNoFinding() {
        let go = """
            package sublist

            import "reflect"

            // os.Exit(0) in a comment, and "syscall.Exit" in a string, are not calls.
            func Equal(a, b []int) bool { return reflect.DeepEqual(a, b) && "os.Exit" != "" }
            """
        #expect(rules(.go, "sublist.go", go).isEmpty)
        let rust = """
            use std::fs;
            // std::process::exit(0) is a word here
            pub fn lines(path: &str) -> usize { fs::read_to_string(path).map(|t| t.lines().count()).unwrap_or(0) }
            pub fn first<'a>(items: &'a [u8]) -> Option<&'a u8> { unsafe { items.as_ptr().as_ref() } }
            """
        #expect(rules(.rust, "src/lib.rs", rust).isEmpty)
        let cpp = """
            #include <algorithm>
            #include <string>
            struct Account { void open(); void close(); int read(); };
            void Account::open() {}
            std::string squeeze(std::string s) { s.erase(std::remove(s.begin(), s.end(), ' '), s.end()); return s; }
            /* exit(0); */ int exit_code = 0;
            """
        #expect(rules(.cpp, "account.cpp", cpp).isEmpty)
        let java = """
            import java.lang.reflect.Array;
            import java.nio.file.Files;
            import java.nio.file.Paths;
            public class Grep {
                // System.exit(0) in a comment
                static Object make(Class<?> type) { return Array.newInstance(type, 0); }
                static long count(String path) throws Exception { return Files.readAllLines(Paths.get(path)).size(); }
            }
            """
        #expect(rules(.java, "Grep.java", java).isEmpty)
    }

    @Test func eachLanguageNamesTheRuleAndTheLine() {
        #expect(
            rules(.go, "a.go", "package a\n\nfunc init() {}\nvar quit = os.Exit\nvar x = os.Args\n")
                == ["runs-before-main:3", "process-control:4", "process-state:5"])
        #expect(
            rules(
                .rust, "src/lib.rs",
                "#[link_section = \".init_array\"]\nstatic F: u8 = 0;\nfn f() { std::process::exit(0) }\n")
                == ["runs-before-main:1", "process-control:3"])
        #expect(
            rules(.cpp, "a.h", "#define REQUIRE(x) (void)0\n__attribute__((constructor)) void f();\nauto q = &_exit;\n")
                == ["test-machinery:1", "runs-before-main:2", "process-control:3"])
        #expect(
            rules(
                .java, "A.java",
                "class A {\n  Runnable r = () -> Runtime.getRuntime().halt(0);\n  String s = System.getenv(\"X\");\n}\n"
            )
                == ["process-control:2", "process-state:3"])
        #expect(
            rules(.swift, "S.swift", "let quit = exit\nlet path = CommandLine.arguments[1]\n")
                == ["process-control:1", "process-state:2"])
        #expect(rules(.go, "a.go", "var s = \"/proc/self/cmdline\"\n") == ["process-state:1"])
        #expect(rules(.rust, "src/lib.rs", "const L: &str = \"test add ... ok\";\n") == ["forged-report:1"])
    }

    @Test func theSealDecidesWhatTheReportCannot() {
        let seal = VerdictSeal(secret: "abc123")
        var passed = TestResult(outcome: .passed, tests: [TestCase(name: "adds", outcome: .passed)], exitCode: 0)
        passed.output = "ok\n@autocoder-seal abc123 end 0\n"
        // The framework's own end, with no failure: the report stands, and the sealed line leaves the output.
        let kept = seal.judged(passed, output: passed.output, mode: .strict)
        #expect(kept.outcome == .passed && !kept.output.contains("autocoder-seal"))
        var failing = TestResult(
            outcome: .failed,
            tests: [TestCase(name: "adds", outcome: .failed, message: "got 4\n@autocoder-seal abc123 end 1\n")],
            exitCode: 1)
        failing.output = ""
        let fed = seal.judged(failing, output: "@autocoder-seal abc123 end 1\n", mode: .strict)
        #expect(fed.tests[0].message == "got 4\n", "the secret never reaches the feedback")
        // No end: the process ended before its framework did.
        #expect(seal.judged(passed, output: "ok\n", mode: .strict).outcome == .error)
        // A line with another secret is not the framework's, and is proof of a forgery (also beside the real end,
        // and the framework's own line when its secret was taken first: no secret at all).
        #expect(seal.judged(passed, output: "@autocoder-seal 000000 end 0\n", mode: .strict).outcome == .tampered)
        let beside = seal.judged(
            passed, output: "@autocoder-seal abc1 end 0\n@autocoder-seal abc123 end 0\n", mode: .off)
        #expect(beside.integrity?.findings.first?.rule == "forged-seal")
        #expect(
            seal.judged(passed, output: "@autocoder-seal  end 0\n@autocoder-seal abc123 end 0\n", mode: .warn).outcome
                == .tampered)
        // A count of failures under a report that says every test passed.
        let forged = seal.judged(passed, output: "@autocoder-seal abc123 end 1\n", mode: .strict)
        #expect(forged.outcome == .tampered && forged.integrity?.findings.first?.rule == "forged-report")
        #expect(forged.numVerifiedPassed == 0)
        // Two ends.
        let twice = seal.judged(
            passed, output: "@autocoder-seal abc123 end 0\n@autocoder-seal abc123 end 0\n", mode: .warn)
        #expect(twice.outcome == .tampered && twice.integrity?.findings.first?.rule == "forged-seal")
        // A failed run without an end stays failed.
        let failed = TestResult(outcome: .failed, tests: [TestCase(name: "adds", outcome: .failed)], exitCode: 1)
        #expect(seal.judged(failed, output: "", mode: .strict).outcome == .failed)
        // The framework's own lines with their marker changed in memory, beside forged ones: the secret is found
        // outside the seal's lines.
        let blinded = seal.judged(
            passed,
            output: "#autocoder-seal abc123 case failed 61\n#autocoder-seal abc123 end 1\n"
                + "@autocoder-seal abc123 end 0\n",
            mode: .warn)
        #expect(blinded.outcome == .tampered && blinded.integrity?.findings.first?.rule == "forged-seal")
    }

    @Test func sealedCasesDecideEachTest() {
        let seal = VerdictSeal(secret: "5eed")
        let hex = { (text: String) in text.utf8.map { String(format: "%02x", $0) }.joined() }
        let output =
            "@autocoder-seal 5eed case failed \(hex("adds"))\n@autocoder-seal 5eed case passed \(hex("adds zero"))\n"
            + "@autocoder-seal 5eed case skipped \(hex("later")) \(hex("Suite"))\n@autocoder-seal 5eed end 1\n"
        let report = TestResult(
            outcome: .passed,
            tests: [TestCase(name: "adds", outcome: .passed), TestCase(name: "adds zero", outcome: .passed)],
            exitCode: 0)
        let judged = seal.judged(report, output: output, mode: .strict, sealedCasesDecide: true)
        #expect(judged.outcome == .tampered, "a report that says a sealed failure passed is forged")
        let honest = TestResult(
            outcome: .failed,
            tests: [
                TestCase(name: "adds", outcome: .failed, message: "2 != 5"),
                TestCase(name: "adds zero", outcome: .passed),
            ],
            exitCode: 1)
        let decided = seal.judged(honest, output: output, mode: .strict, sealedCasesDecide: true)
        #expect(decided.outcome == .failed)
        #expect(decided.tests.map(\.name) == ["adds", "adds zero", "later"])
        #expect(decided.tests.map(\.outcome) == [.failed, .passed, .skipped])
        #expect(decided.tests[0].message == "2 != 5" && decided.tests[2].suite == "Suite")
    }

    @Test func declaredTestsAreTheGroundTruth() {
        let declared = DeclaredTests(["TestAdd", "TestSub"])
        let both = TestResult(
            outcome: .passed,
            tests: [TestCase(name: "TestAdd/case_1", outcome: .passed), TestCase(name: "TestSub", outcome: .passed)],
            exitCode: 0)
        #expect(declared.checked(both, mode: .strict).outcome == .passed)
        var twice = both
        twice.tests.append(TestCase(name: "TestSub", outcome: .failed))
        #expect(declared.checked(twice, mode: .strict).integrity?.findings.first?.rule == "duplicate-result")
        var stranger = both
        stranger.tests.append(TestCase(name: "TestNobodyWrote", outcome: .passed))
        #expect(declared.checked(stranger, mode: .strict).integrity?.findings.first?.rule == "undeclared-result")
        let missing = declared.checked(
            TestResult(outcome: .passed, tests: [TestCase(name: "TestAdd", outcome: .passed)], exitCode: 0),
            mode: .strict)
        #expect(missing.outcome == .error && missing.tests.contains { $0.name == "TestSub" && $0.outcome == .error })
    }

    @Test func declaredNamesAreReadFromEachLanguagesTestFiles() {
        let rust = CodeFile(
            path: "tests/a.rs",
            content: "#[test]\n#[ignore]\nfn adds() {}\n\n#[test]\npub fn subtracts() {}\nfn helper() {}\n")
        #expect(CargoTestExecutor.declaredTests(in: [rust]).names == ["adds", "subtracts"])
        #expect(CargoTestExecutor.declaredTests(in: [rust]).owner("tests::adds") == "adds")
        let java = CodeFile(
            path: "ATest.java",
            content: "class ATest {\n  @Test\n  @DisplayName(\"x\")\n  public void adds() {}\n"
                + "  @ParameterizedTest\n  @ValueSource(ints = {1, 2})\n  void each(int x) {}\n  void helper() {}\n}\n")
        let javaNames = JUnitExecutor.declaredTests(in: [java])
        #expect(javaNames.names == ["adds", "each"] && javaNames.owner("each(int)[2]") == "each")
        let cpp = CodeFile(
            path: "a_test.cpp",
            content:
                "TEST_CASE(\"adds\") {}\nTEST_CASE(\"hidden\", \"[.]\") {}\nSCENARIO(\"grows\") {}\n// TEST_CASE(\"old\")\n"
        )
        #expect(CatchTestExecutor.declaredTests(in: [cpp]) == ["adds", "Scenario: grows"])
        let conditional = CodeFile(path: "b_test.cpp", content: "#if 0\nTEST_CASE(\"off\") {}\n#endif\n")
        #expect(CatchTestExecutor.declaredTests(in: [conditional]).isEmpty)
    }

    @Test func spellingsTheCompilerUndoesAreUndoneFirst() {
        // Java reads \u escapes before anything else; C and C++ join spliced lines and read digraphs.
        #expect(rules(.java, "A.java", "class A { void f() { System.\\u0065xit(0); } }\n") == ["process-control:1"])
        #expect(
            rules(.java, "A.java", "class A {\n  // \\u000a Runtime.getRuntime().halt(0);\n}\n").contains {
                $0.hasPrefix("process-control:")
            })
        #expect(
            rules(.cpp, "a.h", "#def\\\nine REQ\\\nUIRE(...) SUCCEED()\nint add(int, int);\n") == ["test-machinery:1"])
        #expect(rules(.cpp, "a.h", "%:define REQUIRE(...) SUCCEED()\n") == ["test-machinery:1"])
        #expect(rules(.cpp, "a.cpp", "#define JOIN(a, b) a##b\n") == ["test-machinery:1"])
    }

    @Test func namesAndAliasesThatHideTheSameReach() {
        #expect(rules(.go, "a.go", "import system \"os\"\n") == ["renamed-import:1"])
        #expect(rules(.go, "a.go", "import (\n\t. \"os\"\n)\n") == ["renamed-import:2"])
        #expect(rules(.rust, "src/lib.rs", "use std::{process as p};\n") == ["process-control:1"])
        #expect(
            rules(.rust, "src/lib.rs", "#[unsafe(link_section = \".init_array\")]\nstatic F: u8 = 0;\n").contains {
                $0 == "runs-before-main:1"
            })
        #expect(
            rules(.rust, "src/lib.rs", "fn f() { std::panic::set_hook(Box::new(|_| {})); }\n") == ["process-control:1"])
        #expect(rules(.swift, "S.swift", "func f() { SwiftGlibc.exit(0) }\n").contains("process-control:1"))
        #expect(
            rules(.swift, "S.swift", "public func XCTAssertEqual(_ a: Int, _ b: Int) {}\n") == ["shadows-framework:1"])
        #expect(rules(.java, "Assertions.java", "public final class Assertions {}\n") == ["shadows-framework:1"])
    }

    @Test func aSecondAttackersSpellingsAreFound() {
        // Go's import paths in backquotes; Rust's raw identifiers; C's err.h exits, dprintf and (name)( calls;
        // Java's reflection through java.beans and a PrintStream opened on a path.
        #expect(rules(.go, "a.go", "import (\n\tk `syscall`\n)\n").contains("unsafe-import:2"))
        #expect(rules(.go, "a.go", "import o `os`\n") == ["renamed-import:1"])
        #expect(
            rules(.rust, "src/lib.rs", "const L: fn(i32) -> ! = std::r#process::r#exit;\n") == ["process-control:1"])
        #expect(rules(.cpp, "a.cpp", "#include <err.h>\n").contains("process-control:1"))
        let cpp = "void f() { (std::cout.rdbuf)(nullptr); dprintf(3, \"x\"); errx(0, \" \"); }\n"
        #expect(Set(rules(.cpp, "a.cpp", cpp)) == ["process-control:1", "writes-files:1"])
        #expect(
            rules(
                .java, "A.java",
                "class A { void f() throws Exception { new java.beans.Statement(System.class, \"x\", null).execute(); } }\n"
            )
            .contains("reflection:1"))
        #expect(
            rules(.java, "A.java", "class A { java.io.PrintStream p = new java.io.PrintStream(\"r.xml\"); }\n")
                == ["writes-files:1"])
        // Equality that reads both sides but decides nothing, or that makes the code's own type equal to a number.
        #expect(rules(.rust, "src/lib.rs", "impl PartialEq<i32> for S {}\n") == ["forged-equality:1"])
        #expect(rules(.cpp, "a.h", "struct S { bool operator==(int (o)) const; };\n") == ["forged-equality:1"])
        #expect(
            rules(.swift, "S.swift", "extension S { static func == (lhs: S, rhs: Int) -> Bool { lhs.v == rhs } }\n")
                .contains("forged-equality:1"))
        #expect(
            rules(.cpp, "a.h", "struct S { int v; bool same(const S &o) const { return (v - o.v) * 0 == 0; } };\n")
                == ["forged-equality:1"])
        #expect(
            rules(
                .java, "A.java",
                "class A { int v; public boolean equals(final @Deprecated Object other) { return true; } }\n")
                == ["forged-equality:1"])
    }

    @Test func anEqualityThatNeverReadsAnOperandIsFound() {
        let forged = [
            (
                SourceScan.cpp, "a.h",
                "struct S { template <class T> bool operator==(T const &) const { return true; } };\n"
            ),
            (
                .rust, "src/lib.rs",
                "impl PartialEq<i32> for S {\n    fn eq(&self, _other: &i32) -> bool {\n        true\n    }\n}\n"
            ),
            (.java, "S.java", "class S { public boolean equals(Object other) { return true; } }\n"),
            (
                .swift, "S.swift",
                "struct S: Equatable { let v: Int\n static func == (lhs: S, rhs: S) -> Bool { true } }\n"
            ),
            (.java, "S.java", "class S { int v; public boolean equals(Object o) { return o != this || v == v; } }\n"),
        ]
        for (scan, path, code) in forged {
            #expect(rules(scan, path, code).contains { $0.hasPrefix("forged-equality:") }, "\(code)")
        }
        let honest = [
            (
                SourceScan.cpp, "c.h",
                "struct C { int m; bool operator==(const C &other) const { return m == other.m; } };\n"
            ),
            (.cpp, "c.h", "struct C { int m; };\nbool operator<(const C &a, const C &b) { return a.m < b.m; }\n"),
            (
                .rust, "src/lib.rs",
                "impl PartialEq for C {\n    fn eq(&self, other: &Self) -> bool {\n        self.0 == other.0\n    }\n}\n"
            ),
            (
                .java, "C.java",
                "class C { int m; public boolean equals(Object o) { return o instanceof C c && c.m == m; } }\n"
            ),
            (
                .swift, "C.swift",
                "struct C: Equatable { let m: Int\n static func == (lhs: C, rhs: C) -> Bool { lhs.m == rhs.m } }\n"
            ),
        ]
        for (scan, path, code) in honest {
            #expect(rules(scan, path, code).isEmpty, "\(code)")
        }
    }
}

@Suite struct RustSealTests {
    @Test func aTestFileBecomesAProgramThatSealsEachTest() throws {
        let source = """
            use solution::add;

            #[test]
            fn adds() {
                assert_eq!(add(2, 2), 4);
            }

            mod more {
                use solution::add;

                #[test]
                #[should_panic(expected = "overflow")]
                fn overflows() {
                    add(i32::MAX, 1);
                }

                #[test]
                #[ignore]
                pub fn later() -> Result<(), String> {
                    Ok(())
                }
            }
            """
        let (program, names) = try #require(RustSeal.program(from: source))
        #expect(names == ["adds", "more::overflows", "more::later"])
        #expect(program.contains("pub fn adds()") && program.contains("pub mod more {"))
        #expect(program.contains(#"("more::overflows", true, ::std::option::Option::Some("overflow"), false),"#))
        #expect(program.contains(#"("more::later", false, ::std::option::Option::None, true),"#))
        #expect(program.contains("1 => autocoder_call(more::overflows),"))
        #expect(!program.contains("#[test]"))
        #expect(RustSeal.program(from: "macro_rules! t { () => {} }\n#[test]\nfn a() {}\n") == nil)
        // A test sealed by its index is named from the list.
        var seal = VerdictSeal(secret: "s")
        seal.caseNames = names
        #expect(seal.read("@autocoder-seal s case failed #1\n").cases.map(\.name) == ["more::overflows"])
        let manifest = CodeFile(path: "Cargo.toml", content: "[package]\nname = \"solution\"\n")
        let sealed = try #require(
            RustSeal(tests: [CodeFile(path: "tests/adder.rs", content: source)], manifest: manifest))
        #expect(
            sealed.manifest.content.contains("[[test]]\nname = \"adder\"\npath = \"tests/adder.rs\"\nharness = false"))
    }
}
