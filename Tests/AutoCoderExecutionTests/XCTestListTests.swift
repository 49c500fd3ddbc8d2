import AutoCoder
import Testing

@testable import AutoCoderExecution

/// The reader of XCTest classes that the sealed Swift entry point lists (``XCTestList``): exactly the declared
/// tests, or `nil` (and the run keeps SwiftPM's own entry point) whenever it cannot be sure.
@Suite struct XCTestListTests {
    func suites(_ sources: String...) -> [XCTestList.Suite]? {
        let files = sources.enumerated().map { CodeFile(path: "T\($0.offset).swift", content: $0.element) }
        return XCTestList.suites(in: files, declared: SwiftTestExecutor.xcTestNames(in: files))
    }

    @Test func classesExtensionsAndAsyncTestsInOrder() {
        let found = suites(
            """
            import XCTest
            @testable import Solution

            /* class Fake: XCTestCase { func testFake() {} } */
            final class BTests: XCTestCase {
                let text = \"""
                    } braces { in a string do not count }
                    \"""
                func testOne() { XCTAssertEqual(text.count, 38) }
                func testTwo() async throws { let s = "{"; XCTAssertEqual(s, "{") }
                func helper(_ x: Int) {}
            }

            extension BTests {
                func testThree() { XCTAssertTrue(true) }
            }
            """,
            """
            import XCTest
            @MainActor class ATests: XCTestCase, @unchecked Sendable {
                // func testCommented() {}
                func testFour() { if true { XCTAssert(true) } }
            }
            """)
        #expect(
            found == [
                XCTestList.Suite(name: "BTests", tests: ["testOne", "testTwo", "testThree"]),
                XCTestList.Suite(name: "ATests", tests: ["testFour"]),
            ])
    }

    @Test func aTestBaseClassTheReaderDoesNotFollowIsUnsure() {
        #expect(
            suites(
                """
                import XCTest
                class Base: XCTestCase { func testShared() {} }
                final class Child: Base { func testOwn() {} }
                """) == nil)
        // A base class of the tests' own without tests is followed.
        #expect(
            suites(
                """
                import XCTest
                class Base: XCTestCase { func helper() {} }
                final class Child: Base { func testOwn() {} }
                """) == [XCTestList.Suite(name: "Child", tests: ["testOwn"])])
    }

    @Test func testsItCannotPlaceOrNameMakeItUnsure() {
        // Nested in another type.
        #expect(suites("import XCTest\nenum Outer {\n class T: XCTestCase { func testA() {} }\n}\n") == nil)
        // Private or generic classes cannot be named from another file.
        #expect(suites("import XCTest\nprivate final class T: XCTestCase { func testA() {} }\n") == nil)
        #expect(suites("import XCTest\nclass T<X>: XCTestCase { func testA() {} }\n") == nil)
        // A test-like method outside any test class.
        #expect(
            suites("import XCTest\nclass T: XCTestCase { func testA() {} }\nstruct Helper { func testB() {} }\n")
                == nil)
        // A test method inside a function body is not a test.
        #expect(suites("import XCTest\nclass T: XCTestCase {\n func testA() {\n func testB() {}\n }\n}\n") == nil)
        // A static method named like a test.
        #expect(suites("import XCTest\nclass T: XCTestCase {\n func testA() {}\n static func testB() {}\n}\n") == nil)
        // Two classes of one name.
        #expect(suites("import XCTest\nclass T: XCTestCase { func testA() {} }\n", "class T: XCTestCase {}\n") == nil)
    }

    @Test func swiftTestingOnlyFilesNeedNoClasses() {
        #expect(suites("import Testing\n@Test func adds() { #expect(1 + 1 == 2) }\n") == [])
    }

    @Test func commentsAndLiteralsAreEmptied() {
        let code = SourceText.withoutCommentsAndLiterals(
            "a /* b /* c */ { */ \"x{\" + #\"y\"{\"# // }\nz \"\"\"\n}\n\"\"\" w")
        #expect(code == "a   \"\" + \"\" \nz \"\" w")
        // Interpolations with literals of their own, and a literal left open at its line's end.
        let interpolated = SourceText.withoutCommentsAndLiterals(
            "f(\"a\\(g(\"b)\" + \"c\"))d\") { #\"x\\#(\"y\")\"# }\n\"open\nnext {")
        #expect(interpolated == "f(\"\") { \"\" }\n\"\"\nnext {")
    }
}
