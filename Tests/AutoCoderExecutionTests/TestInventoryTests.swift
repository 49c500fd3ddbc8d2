import AutoCoder
import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderExecution

/// The inventory of expected tests follows pytest's own collection rules: checked against pytest itself.
@Suite struct TestInventoryTests {
    static let suite = """
        import unittest
        import pytest

        def test_plain():
            pass

        @pytest.mark.parametrize("n", [1, 2])
        def test_param(n):
            pass

        def helper_test():
            pass

        class AreaTest(unittest.TestCase):
            def test_square(self):
                self.assertEqual(4, 4)

            def test_subtests(self):
                for n in range(2):
                    with self.subTest(n=n):
                        self.assertTrue(True)

            def helper(self):
                pass

        class SquareAreaTest(AreaTest):
            def test_more(self):
                pass

        class TestGrouped:
            def test_one(self):
                pass

        class TestInherits(TestGrouped):
            def test_two(self):
                pass

        class TestWithInit:
            def __init__(self):
                pass

            def test_never(self):
                pass

        class TestSwitchedOff:
            __test__ = False

            def test_never(self):
                pass

        class Helpers:
            def test_not_collected(self):
                pass
        """

    @Test func theInventoryIsWhatPytestCollects() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("test_shapes.py", Self.suite)
        let python = try await PythonInterpreter.resolve()
        let key = TestInventory.Key(
            modules: ["test_shapes.py"], of: [CodeFile(path: "test_shapes.py", content: Self.suite)],
            interpreter: python.path)
        let inventory = try await TestInventory.read(key, in: directory.url.path).get()
        let ours = Set(inventory.tests.map { "\($0.suite).\($0.name)" })

        let collected = try await ProcessRunner().run(
            ProcessRequest(
                executable: python.path, arguments: ["-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
                workingDirectory: directory.url.path))
        let pytests = Set(
            collected.standardOutput.text.split(separator: "\n").filter { $0.contains("::") }.map { line in
                let parts = line.split(separator: "::").map(String.init)
                let module = parts[0].replacingOccurrences(of: ".py", with: "").replacingOccurrences(of: "/", with: ".")
                let name = TestInventory.functionName(parts.last!)
                return ([module] + parts.dropFirst().dropLast() + [name]).joined(separator: ".")
            })
        #expect(!pytests.isEmpty, "pytest collected nothing: \(collected.standardOutput.text)")
        #expect(ours == pytests)
        #expect(ours.contains("test_shapes.AreaTest.test_square"))
        #expect(ours.contains("test_shapes.SquareAreaTest.test_square"), "inherited unittest methods")
        #expect(ours.contains("test_shapes.TestInherits.test_one"), "inherited pytest methods")
        #expect(!ours.contains { $0.contains("TestWithInit") || $0.contains("TestSwitchedOff") })
    }
}
