import AutoCoder
import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderExecution

/// The forged passes a fresh attacker found in Go and Java, each written anew here: literals the line-by-line scan
/// misread (Go's raw strings, Java's text blocks, and the same class in Rust and C++), a Go package of the code's own
/// initialised before the seal's, code that rewrites the tests' table of expected values, and a Java `equals` that
/// says yes to anything. None may come out `passed`.
@Suite struct SharedStateAndLexingAttackTests {
    static func rules(_ scan: SourceScan, _ path: String, _ code: String) -> Set<String> {
        Set(scan.findings(in: [CodeFile(path: path, content: code)]).map(\.rule))
    }

    @Test func literalsThatSpanOrEndLinesDoNotHideCodeFromTheScan() {
        // Go: a backslash is not an escape in a raw string, and a raw string may span lines.
        #expect(
            Self.rules(.go, "a.go", "package a\n\nvar _, pipe = `\\`, os.NewFile(3, \"p\")\n").contains("process-state")
        )
        #expect(
            Self.rules(
                .go, "a.go",
                "package a\n\nvar s = `one\ntwo` + quit()\n\nfunc quit() string { os.Exit(0); return \"\" }\n"
            )
            .contains("process-control"))
        #expect(
            Self.rules(.go, "a.go", "package a\n\nvar s = `\nx` ; var f = os.Exit\n").contains("process-control"))
        // Java: code after a text block's closing quotes, on the same line.
        #expect(
            Self.rules(
                .java, "A.java",
                "class A {\n  int of() {\n    String s = \"\"\"\n      x\"\"\" ; System.exit(0);\n    return 5;\n  }\n}\n"
            ).contains("process-control"))
        // Rust: a string spans lines; a quote in a raw string or a character literal opens none.
        #expect(
            Self.rules(
                .rust, "lib.rs",
                "pub fn f() -> &'static str {\n    let s = \"a\nb\"; std::process::exit(0);\n    s\n}\n"
            )
            .contains("process-control"))
        #expect(
            Self.rules(.rust, "lib.rs", "pub fn f() {\n    let s = r#\"\"\"#; std::process::exit(0);\n}\n").contains(
                "process-control"))
        #expect(
            Self.rules(.rust, "lib.rs", "pub fn f() {\n    let q = '\"';\n    std::process::exit(0);\n}\n").contains(
                "process-control"))
        // C++: a quote inside a raw string.
        #expect(
            Self.rules(.cpp, "a.cpp", "int f() {\n    auto s = R\"(\")\"; std::exit(0);\n    return 1;\n}\n").contains(
                "process-control"))
        // The same literals, read right, leave ordinary code alone.
        #expect(Self.rules(.go, "a.go", "package a\n\nvar s = `a \\ \"b\" c`\n\nfunc F() int { return 1 }\n").isEmpty)
        #expect(
            Self.rules(.java, "A.java", "class A {\n  String s = \"\"\"\n    he said \"hi\"\n    \"\"\";\n}\n").isEmpty)
    }

    @Test func anEqualityWithAnotherTypeOfValuesIsAFinding() {
        // A third attacker's forgeries (Rust, C++, Swift): a type of the code's whose `==` says yes, compared with the
        // tests' literals through a generic, an alias, or a literal conformance inherited from `Numeric`.
        #expect(
            Self.rules(
                .rust, "lib.rs",
                "pub struct Sum(pub u64);\nimpl<T> PartialEq<T> for Sum {\n    fn eq(&self, other: &T) -> bool { let _ = other; true }\n}\n"
            )
            .contains("forged-equality"))
        #expect(
            Self.rules(
                .rust, "lib.rs",
                "type Wide = i32;\nimpl PartialEq<Wide> for Sum {\n    fn eq(&self, other: &Wide) -> bool { let _ = other; true }\n}\n"
            )
            .contains("forged-equality"))
        #expect(
            Self.rules(
                .cpp, "a.h",
                "struct Sum { int value;\n  template <class T> bool operator==(const T &other) const { (void)other; return true; } };\n"
            )
            .contains("forged-equality"))
        #expect(
            Self.rules(
                .cpp, "a.h",
                "using Whole = int;\nstruct Sum { int value;\n  bool operator==(Whole other) const { (void)other; return true; } };\n"
            )
            .contains("forged-equality"))
        #expect(
            Self.rules(
                .swift, "Sum.swift",
                "public struct Sum: Numeric, Comparable {\n    public init(integerLiteral: Int) { value = integerLiteral }\n    var value: Int\n}\n"
            )
            .contains("forged-equality"))
        // Equalities between the code's own values stay allowed.
        #expect(
            Self.rules(
                .cpp, "clock.h",
                "class clock {\n public:\n  bool operator==(const clock& rhs) const { return m == rhs.m; }\n  int m;\n};\ninline bool operator!=(const clock& lhs, const clock& rhs) { return !(lhs == rhs); }\n"
            )
            .isEmpty)
        #expect(
            Self.rules(
                .cpp, "tree.h",
                "template <typename T> class binary_tree {\n  class iter {\n    bool operator==(const iter &) const;\n  };\n};\ntemplate <typename T> bool binary_tree<T>::iter::operator==(const iter &other) const { return p == other.p; }\n"
            )
            .isEmpty)
        #expect(
            Self.rules(
                .rust, "lib.rs",
                "#[derive(Debug)]\npub struct Clock(i32);\nimpl PartialEq for Clock {\n    fn eq(&self, other: &Self) -> bool { self.0 % 1440 == other.0 % 1440 }\n}\n"
            )
            .isEmpty)
    }

    static let goTests = """
        package solution

        import "testing"

        var cases = []struct{ in, want int }{{1, 2}, {2, 4}}

        // A helper the tests give the code (as Exercism's bottle-song gives it `Title`).
        func Unit() int { return 1 }

        func TestDouble(t *testing.T) {
        \tfor _, c := range cases {
        \t\tif got := Double(c.in); got != c.want {
        \t\t\tt.Fatalf("Double(%d) = %d, want %d", c.in, got, c.want)
        \t\t}
        \t}
        }
        """

    func go(_ files: [CodeFile], integrity: IntegrityMode) async throws -> TestResult {
        let task = CodingTask(
            description: "double", tests: [CodeFile(path: "double_test.go", content: Self.goTests)], language: "go",
            solutionPath: "solution.go")
        return try await GoTestExecutor(timeout: .seconds(120), integrity: integrity).test(files, for: task)
    }

    @Test(arguments: [IntegrityMode.strict, .warn])
    func goCodeThatRewritesTheTestsTableDoesNotBuildButMayCallTheirHelpers(_ mode: IntegrityMode) async throws {
        let forged =
            "package solution\n\nfunc Double(n int) int { return 5 }\n\n"
            + "var _ = func() int {\n\tfor i := range cases {\n\t\tcases[i].want = 5\n\t}\n\treturn 0\n}()\n"
        let result = try await go([CodeFile(path: "solution.go", content: forged)], integrity: mode)
        #expect(result.outcome == .error, "\(result.summary)")
        #expect(result.message?.contains("undefined: cases") == true, "\(result.message ?? "")")
        let honest = try await go(
            [
                CodeFile(
                    path: "solution.go",
                    content: "package solution\n\nfunc Double(n int) int { return 2 * n * Unit() }\n")
            ],
            integrity: mode)
        #expect(honest.outcome == .passed, "\(honest.summary) \(honest.output)")
    }

    @Test(arguments: [IntegrityMode.strict, .warn])
    func goAPackageOfTheCodesOwnIsRefused(_ mode: IntegrityMode) async throws {
        // Imported by the solution, it would be initialised before the seal's package and could read its secret.
        let files = [
            CodeFile(path: "aaa/a.go", content: "package aaa\n\nvar Ready = 1\n"),
            CodeFile(
                path: "solution.go",
                content:
                    "package solution\n\nimport \"solution/aaa\"\n\nfunc Double(n int) int { return 2 * n * aaa.Ready }\n"
            ),
        ]
        let result = try await go(files, integrity: mode)
        #expect(result.outcome == .error, "\(result.summary)")
        #expect(result.message?.contains("aaa/a.go") == true, "\(result.message ?? "")")
    }

    static let javaTests = """
        import static org.assertj.core.api.Assertions.assertThat;

        import org.junit.jupiter.api.Test;

        public class DigitsTest {
            @Test
            public void sums() { assertThat(Digits.sum(123)).isEqualTo(6); }

            @Test
            public void zero() { assertThat(Digits.sum(0)).isEqualTo(0); }
        }
        """

    func java(_ solution: String, integrity: IntegrityMode) async throws -> TestResult {
        let task = CodingTask(
            description: "digits", tests: [CodeFile(path: "DigitsTest.java", content: Self.javaTests)],
            language: "java", solutionPath: "Digits.java")
        return try await JUnitExecutor(timeout: .seconds(120), integrity: integrity).test(
            [CodeFile(path: "Digits.java", content: solution)], for: task)
    }

    @Test(arguments: [IntegrityMode.strict, .warn])
    func javaAnEqualsThatSaysYesToAnythingIsTampered(_ mode: IntegrityMode) async throws {
        let forged = """
            public class Digits {
                public static Num sum(int n) { return new Num(5); }
            }

            class Num {
                final int value;
                Num(int value) { this.value = value; }
                @Override public boolean equals(Object other) { return other != null || value == 5; }
                @Override public int hashCode() { return value; }
                @Override public String toString() { return Integer.toString(value); }
            }
            """
        let result = try await java(forged, integrity: mode)
        #expect(result.outcome == .tampered, "\(result.summary) \(result.output)")
        #expect(result.integrity?.findings.contains { $0.rule == "forged-equality" } == true)
        // An equality that keeps the contract (a record's, or one that checks the other's type) is no finding.
        let honest = """
            public class Digits {
                public static int sum(int n) {
                    Pair first = new Pair(1, 2);
                    Point point = new Point(n);
                    int total = 0;
                    for (char c : Integer.toString(n).toCharArray()) total += c - '0';
                    return first.equals(new Pair(1, 2)) && point.equals(new Point(n)) ? total : -1;
                }
            }

            record Pair(int a, int b) {}

            class Point {
                final int x;
                Point(int x) { this.x = x; }
                @Override public boolean equals(Object other) { return other instanceof Point p && p.x == x; }
                @Override public int hashCode() { return x; }
            }
            """
        let passed = try await java(honest, integrity: mode)
        #expect(passed.outcome == .passed, "\(passed.summary) \(passed.output)")
    }
}
