import AutoCoder
import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

@Suite struct PytestExecutorTests {
    let executor = PytestExecutor(timeout: .seconds(20), workers: .forTests)

    func run(solution: String, tests: String, timeout: Double? = nil) async throws -> TestResult {
        let task = CodingTask(
            description: "test", tests: [CodeFile(path: "test_solution.py", content: tests)], timeoutSeconds: timeout)
        return try await executor.test([CodeFile(path: "solution.py", content: solution)], for: task)
    }

    static let addTests = """
        from solution import add

        def test_add():
            assert add(1, 2) == 3

        def test_add_negative():
            assert add(-1, -2) == -3
        """

    @Test func passingCodePasses() async throws {
        let result = try await run(solution: "def add(a, b):\n    return a + b\n", tests: Self.addTests)
        #expect(result.outcome == .passed)
        #expect(result.passed)
        #expect(result.numPassed == 2)
        #expect(result.numFailed == 0)
        #expect(result.exitCode == 0)
        #expect(result.tests.map(\.name).sorted() == ["test_add", "test_add_negative"])
    }

    @Test func failingCodeFailsWithTheAssertion() async throws {
        let result = try await run(solution: "def add(a, b):\n    return a - b\n", tests: Self.addTests)
        #expect(result.outcome == .failed)
        #expect(!result.passed)
        #expect(result.numFailed == 2)
        #expect(result.exitCode == 1)
        let failure = try #require(result.tests.first { $0.name == "test_add" })
        #expect(failure.outcome == .failed)
        #expect(failure.message?.contains("assert") == true)
        #expect(failure.details?.contains("test_solution.py") == true)
    }

    @Test func syntaxErrorIsAnErrorCarryingTheText() async throws {
        let result = try await run(solution: "def add(a, b)\n    return a + b\n", tests: Self.addTests)
        #expect(result.outcome == .error)
        #expect(result.message?.contains("SyntaxError") == true)
        #expect(result.tests.first?.details?.contains("SyntaxError") == true)
    }

    @Test func eachOutcomeIsParsedPerTest() async throws {
        let tests = """
            import pytest

            @pytest.fixture
            def broken():
                raise RuntimeError("fixture exploded")

            def test_pass():
                assert True

            def test_fail():
                assert 1 + 1 == 3, "math is broken"

            def test_error(broken):
                pass

            def test_skip():
                pytest.skip("not today")

            @pytest.mark.xfail(reason="known bug")
            def test_xfail():
                assert False

            @pytest.mark.xfail(reason="strict")
            def test_xpass():
                assert True
            """
        let result = try await run(solution: "", tests: tests)
        let outcomes = Dictionary(uniqueKeysWithValues: result.tests.map { ($0.name, $0.outcome) })
        #expect(outcomes["test_pass"] == .passed)
        #expect(outcomes["test_fail"] == .failed)
        #expect(outcomes["test_error"] == .error)
        #expect(outcomes["test_skip"] == .skipped)
        #expect(outcomes["test_xfail"] == .skipped)
        #expect(outcomes["test_xpass"] == .failed)  // xfail_strict: an unexpected pass fails
        #expect(result.outcome == .failed)
        #expect(result.numPassed == 1)
        #expect(result.numFailed == 2)
        #expect(result.numErrors == 1)
        #expect(result.numSkipped == 2)
        #expect(result.tests.first { $0.name == "test_error" }?.message?.contains("fixture exploded") == true)
    }

    @Test func importErrorIsACollectionError() async throws {
        let result = try await run(solution: "import does_not_exist_pkg\n", tests: Self.addTests)
        #expect(result.outcome == .error)
        #expect(result.message?.contains("does_not_exist_pkg") == true)
    }

    @Test func noTestsIsNoTests() async throws {
        let result = try await run(solution: "", tests: "def helper():\n    return 1\n")
        #expect(result.outcome == .noTests)
        #expect(!result.passed)
    }

    @Test func onlySkippedTestsVerifyNothing() async throws {
        let result = try await run(solution: "", tests: "import pytest\n\ndef test_a():\n    pytest.skip('later')\n")
        #expect(result.outcome == .noTests)
        #expect(result.numSkipped == 1)
    }

    /// Without the integrity check (whose scan refuses `os._exit`: `tampered`), the verdict rules alone never
    /// make this a pass.
    @Test func exitingBeforeTheReportIsNeverAPass() async throws {
        let unchecked = PytestExecutor(timeout: .seconds(20), integrity: .off, workers: .forTests)
        let task = CodingTask(description: "t", tests: [CodeFile(path: "test_solution.py", content: Self.addTests)])
        let exiting = [CodeFile(path: "solution.py", content: "import os\ndef add(a, b):\n    os._exit(0)\n")]
        let duringTest = try await unchecked.test(exiting, for: task)
        #expect(duringTest.outcome == .error)
        #expect(duringTest.exitCode == 0)
        #expect(duringTest.message?.contains("without writing its report") == true)

        let atImport = try await unchecked.test(
            [CodeFile(path: "solution.py", content: "import os\nos._exit(0)\n")], for: task)
        #expect(atImport.outcome == .error)
        #expect(try await executor.test(exiting, for: task).outcome == .tampered)
    }

    @Test func generatedConftestAndIniCannotRewriteResults() async throws {
        let task = CodingTask(description: "t", tests: [CodeFile(path: "test_solution.py", content: Self.addTests)])
        let forgery = [
            CodeFile(path: "solution.py", content: "def add(a, b):\n    return 0\n"),
            CodeFile(
                path: "conftest.py",
                content: """
                    import pytest

                    @pytest.hookimpl(hookwrapper=True)
                    def pytest_runtest_makereport(item, call):
                        outcome = yield
                        outcome.get_result().outcome = "passed"
                    """),
            CodeFile(path: "pytest.ini", content: "[pytest]\naddopts = -p no:junitxml\n"),
        ]
        // The check's scan refuses the conftest's pytest import; without the check, pytest's own options hold.
        #expect(try await executor.test(forgery, for: task).outcome == .tampered)
        let result = try await PytestExecutor(timeout: .seconds(20), integrity: .off, workers: .forTests).test(
            forgery, for: task)
        #expect(result.outcome == .failed)
        #expect(result.numFailed == 2)
    }

    @Test(arguments: [
        (
            "pyproject.toml",
            "[tool.pytest.ini_options]\naddopts = \"-p no:junitxml --deselect test_solution.py::test_add\"\n"
        ),
        ("setup.cfg", "[tool:pytest]\naddopts = -p no:junitxml -k nothing\n"),
        ("tox.ini", "[pytest]\naddopts = -p no:junitxml -k nothing\n"),
    ])
    func generatedConfigFilesAreIgnored(_ name: String, _ content: String) async throws {
        let task = CodingTask(description: "t", tests: [CodeFile(path: "test_solution.py", content: Self.addTests)])
        let files = [
            CodeFile(path: "solution.py", content: "def add(a, b):\n    return 0\n"),
            CodeFile(path: name, content: content),
        ]
        let result = try await executor.test(files, for: task)
        #expect(result.outcome == .failed)
        #expect(result.numFailed == 2)
    }

    @Test(arguments: [
        ("random.py", "standard module 'random'"),
        ("pytest.py", "test runner's module 'pytest'"),
        ("_pytest/__init__.py", "test runner's module '_pytest'"),
        ("test_solution/__init__.py", "test module 'test_solution'"),
    ])
    func shadowingModulesAreRejected(_ path: String, _ fragment: String) async throws {
        let tests = "import random\nfrom solution import add\n\ndef test_add():\n    assert add(1, 2) == 3\n"
        let task = CodingTask(description: "t", tests: [CodeFile(path: "test_solution.py", content: tests)])
        let files = [
            CodeFile(path: "solution.py", content: "def add(a, b):\n    return a + b\n"),
            CodeFile(path: path, content: "def randint(a, b):\n    return 4\n"),
        ]
        let result = try await executor.test(files, for: task)
        #expect(result.outcome == .error)
        #expect(result.message?.contains(fragment) == true, "message: \(result.message ?? "")")
    }

    /// A file named like a package installed beside the interpreter (found by a fresh attacker: a `numpy.py` whose
    /// `isclose` said yes stood in for numpy in the tests). `iniconfig` comes with pytest, so it is always there.
    @Test func anInstalledModuleTheTestsImportIsNotShadowed() async throws {
        let tests = "import iniconfig\nfrom solution import add\n\ndef test_add():\n    assert add(1, 2) == 3\n"
        let task = CodingTask(description: "t", tests: [CodeFile(path: "test_solution.py", content: tests)])
        let files = [
            CodeFile(path: "solution.py", content: "def add(a, b):\n    return a + b\n"),
            CodeFile(path: "iniconfig.py", content: "IniConfig = None\n"),
        ]
        for (index, executor) in [executor, PytestExecutor(warmWorker: false)].enumerated() {
            // Test files of their own for each, or the second would reuse the first's inventory.
            var task = task
            task.tests[0].content += String(repeating: "\n", count: index)
            let result = try await executor.test(files, for: task)
            #expect(result.outcome == .error)
            #expect(result.message?.contains("installed module 'iniconfig'") == true, "\(result.message ?? "")")
        }
    }

    @Test func aStandardModuleTheTestsDoNotImportMayBeWritten() async throws {
        let files = [
            CodeFile(path: "solution.py", content: "from colorsys import add\n"),
            CodeFile(path: "colorsys.py", content: "def add(a, b):\n    return a + b\n"),
        ]
        let task = CodingTask(description: "t", tests: [CodeFile(path: "test_solution.py", content: Self.addTests)])
        let result = try await executor.test(files, for: task)
        #expect(result.outcome == .passed, "message: \(result.message ?? "")")
    }

    @Test func testDataFilesAreNotPassedToPytest() async throws {
        let tests = [
            CodeFile(
                path: "test_data.py",
                content:
                    "import pathlib\n\ndef test_data():\n    assert pathlib.Path('data/cases.txt').read_text() == '1 2 3\\n'\n"
            ),
            CodeFile(path: "data/cases.txt", content: "1 2 3\n"),
            CodeFile(path: "helpers.py", content: "def test_not_collected():\n    raise AssertionError\n"),
        ]
        let task = CodingTask(description: "t", tests: tests)
        let result = try await executor.test([CodeFile(path: "solution.py", content: "")], for: task)
        #expect(result.outcome == .passed, "message: \(result.message ?? "") output: \(result.output)")
        #expect(result.tests.map(\.name) == ["test_data"])
    }

    @Test func generatedFilesCannotReplaceTheTests() async throws {
        let task = CodingTask(description: "t", tests: [CodeFile(path: "test_solution.py", content: Self.addTests)])
        let files = [
            CodeFile(path: "solution.py", content: "def add(a, b):\n    return 0\n"),
            CodeFile(path: "test_solution.py", content: "def test_nothing():\n    pass\n"),
        ]
        let result = try await executor.test(files, for: task)
        #expect(result.outcome == .failed)
        #expect(result.numFailed == 2)
    }

    @Test func infiniteLoopTimesOut() async throws {
        let result = try await run(
            solution: "def add(a, b):\n    while True:\n        pass\n", tests: Self.addTests, timeout: 1)
        #expect(result.outcome == .timeout)
        #expect(result.exitCode == nil)
        #expect(result.message?.contains("1 s") == true)
    }

    @Test func timeoutKillsGrandchildren() async throws {
        let marker = ProcessProbe.sleepMarker()
        let solution = """
            import subprocess, time

            def add(a, b):
                subprocess.Popen(["sleep", "\(marker)"])
                while True:
                    time.sleep(0.05)
            """
        let result = try await run(solution: solution, tests: Self.addTests, timeout: 3)
        #expect(result.outcome == .timeout)
        #expect(await ProcessProbe.noneLeft(withMarker: marker))
    }

    @Test func outputIsCappedKeepingHeadAndTail() async throws {
        let executor = PytestExecutor(timeout: .seconds(30), outputLimit: 64 * 1024, workers: .forTests)
        let tests = """
            def test_noisy():
                print("FIRST-LINE")
                print("x" * 5_000_000)
                print("LAST-LINE")
                assert False
            """
        let task = CodingTask(description: "t", tests: [CodeFile(path: "test_noisy.py", content: tests)])
        let result = try await executor.test([CodeFile(path: "solution.py", content: "")], for: task)
        #expect(result.outcome == .failed)
        #expect(result.output.utf8.count < 64 * 1024 + 1_000)
        #expect(result.output.contains("bytes of output cut"))
        #expect(result.output.contains("LAST-LINE") || result.output.contains("short test summary"))
    }

    @Test(arguments: [false, true])
    func theTasksVariablesReachTheTestsAndNothingElse(warm: Bool) async throws {
        let tests = """
            import os

            def test_env():
                assert os.environ.get("RUN_SLOW") == "1"
            """
        var task = CodingTask(description: "env", tests: [CodeFile(path: "test_env.py", content: tests)])
        let executor = PytestExecutor(warmWorker: warm, workers: .forTests)
        if warm { try #require(await executor.warmUp(workers: 1)) }
        let without = try await executor.test([], for: task)
        #expect(without.outcome == .failed)
        task.environment = ["RUN_SLOW": "1"]
        let with = try await executor.test([], for: task)
        #expect(with.outcome == .passed, "\(with.output)")
    }
}
