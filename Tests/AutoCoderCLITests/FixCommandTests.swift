import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

/// `autocoder fix` end to end: the built binary on a copy of the fixture repository, with the `script` and
/// `command` generators.
@Suite struct FixCommandTests {
    static let fixture = CLI.repository.appendingPathComponent("Tests/Fixtures/repositories/textstats")
    static let rightEdit =
        "textstats/stats.py\n<<<<<<< SEARCH\n    pieces = raw_words(text)\n=======\n    pieces = words(text)\n>>>>>>> REPLACE\n"

    func repository(in directory: URL) throws -> URL {
        let root = directory.appendingPathComponent("textstats")
        try FileManager.default.copyItem(at: Self.fixture, to: root)
        for command in [
            ["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base"],
        ] {
            let git = Process()
            git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            git.arguments = ["-C", root.path] + command
            try git.run()
            git.waitUntilExit()
        }
        return root
    }

    @Test func aScriptedFixPrintsTheDiffAndTheJSONDocument() async throws {
        let directory = try TemporaryDirectory()
        let root = try repository(in: directory.url)
        let script = directory.url.appendingPathComponent("replies.json")
        try JSONEncoder().encode([Self.rightEdit]).write(to: script)
        let text = try await CLI.run(
            ["fix", root.path, "--provider", "script", "--script", script.path, "--no-store"])
        #expect(text.code == 0, "\(text.stderr)")
        #expect(text.stdout.contains("+++ b/textstats/stats.py") && text.stdout.contains("+    pieces = words(text)"))
        #expect(text.stderr.contains("Not applied"))
        let json = try await CLI.run(
            ["fix", root.path, "--provider", "script", "--script", script.path, "--no-store", "--json"])
        let document = try json.json()
        #expect(document["stop_reason"] as? String == "tests_passed")
        #expect(document["repository"] as? String == root.standardizedFileURL.path)
        #expect((document["base_commit"] as? String)?.count == 40)
        #expect((document["test_command"] as? String)?.hasSuffix("-m pytest") == true)
        #expect((document["baseline"] as? [String: Any])?["outcome"] as? String == "failed")
        #expect((document["diff"] as? String)?.contains("+    pieces = words(text)") == true)
        #expect(document["nothing_to_fix"] as? Bool == false)
        // With --events, stdout holds the events only: no diff there; run.finished carries the outcome.
        let events = try await CLI.run(
            ["fix", root.path, "--provider", "script", "--script", script.path, "--no-store", "--events"])
        #expect(events.code == 0, "\(events.stderr)")
        let lines = try events.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(lines.first?["type"] as? String == "run.started" && lines.last?["type"] as? String == "run.finished")
        #expect(!events.stdout.contains("+++ b/"))
    }

    @Test func fixFromAFolderInsideTheRepositoryFixesTheRepository() async throws {
        let directory = try TemporaryDirectory()
        let root = try repository(in: directory.url)
        let script = directory.url.appendingPathComponent("replies.json")
        try JSONEncoder().encode([Self.rightEdit]).write(to: script)
        let run = try await CLI.run(
            [
                "fix", root.appendingPathComponent("tests").path, "--provider", "script", "--script", script.path,
                "--no-store", "--json",
            ])
        #expect(run.code == 0, "\(run.stderr)")
        #expect(run.stderr.contains("is inside the repository at \(root.standardizedFileURL.path)"), "\(run.stderr)")
        #expect(try run.json()["repository"] as? String == root.standardizedFileURL.path)
    }

    @Test func aCommandGeneratorFixCommittedOnABranch() async throws {
        let directory = try TemporaryDirectory()
        let root = try repository(in: directory.url)
        // The program reads the request (JSON on stdin) and answers with the edit.
        let answer = directory.url.appendingPathComponent("answer.txt")
        try Self.rightEdit.write(to: answer, atomically: true, encoding: .utf8)
        let run = try await CLI.run(
            [
                "fix", root.path, "--provider", "command", "--command", "cat > /dev/null; cat \(answer.path)",
                "--commit", "--no-store",
            ])
        #expect(run.code == 0, "\(run.stderr)")
        #expect(run.stderr.contains("Committed on branch autocoder/"))
        func git(_ arguments: String...) throws -> String {
            let process = Process()
            let output = Pipe()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            process.arguments = ["-C", root.path] + arguments
            process.standardOutput = output
            try process.run()
            process.waitUntilExit()
            return String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
        // The user's branch stays checked out and its tree untouched; the fix is on the new branch only.
        let branches = try git("branch", "--format=%(refname:short)").split(separator: "\n").map(String.init)
        let branch = try #require(branches.first { $0.hasPrefix("autocoder/") })
        #expect(try git("rev-parse", "--abbrev-ref", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines) != branch)
        #expect(try git("status", "--porcelain").isEmpty)
        #expect(try git("show", "HEAD:textstats/stats.py").contains("pieces = raw_words(text)"))
        #expect(try git("show", "\(branch):textstats/stats.py").contains("pieces = words(text)"))
        // Its message names the repository and the failing tests, not the interpreter's path.
        let message = try git("log", "-1", "--format=%B", branch)
        #expect(message.hasPrefix("autocoder: Fix textstats: make "), "\(message)")
        #expect(!message.contains("/bin/") && !message.contains("/versions/"), "\(message)")
    }

    @Test func badInputExitsTwoAndADirtyTreeIsNotTouched() async throws {
        let directory = try TemporaryDirectory()
        let root = try repository(in: directory.url)
        let missing = try await CLI.run([
            "fix", directory.url.appendingPathComponent("nowhere").path, "--provider", "script", "--script", "x",
        ])
        #expect(missing.code == 2 && missing.stderr.contains("does not exist"))
        try "draft\n".write(to: root.appendingPathComponent("textstats/stats.py"), atomically: true, encoding: .utf8)
        let dirty = try await CLI.run([
            "fix", root.path, "--apply", "--provider", "script", "--script", "x", "--no-store",
        ])
        #expect(dirty.code == 2 && dirty.stderr.contains("uncommitted changes"))
        #expect(try String(contentsOf: root.appendingPathComponent("textstats/stats.py"), encoding: .utf8) == "draft\n")
        let both = try await CLI.run(["fix", root.path, "--apply", "--commit"])
        #expect(both.code == 2)
    }

    /// The baseline of a project whose runner writes no report names its tests all the same: pytest behind make (its
    /// report asked for through the environment), cargo's libtest, `go test -v` and node's TAP behind npm.
    @Test(arguments: [
        (
            "make test", "Makefile", "test:\n\tpython3 -m pytest -q tests\n", "calc.py",
            "def add(a, b):\n    return a - b\n",
            "tests/test_calc.py",
            "from calc import add\n\ndef test_adds():\n    assert add(2, 2) == 4\n\ndef test_zero():\n    assert add(0, 0) == 0\n"
        ),
        (
            "cargo test", "Cargo.toml", "[package]\nname = \"calc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
            "src/lib.rs", "pub fn add(a: i32, b: i32) -> i32 { a - b }\n",
            "tests/calc.rs",
            "use calc::add;\n#[test]\nfn adds() { assert_eq!(add(2, 2), 4); }\n#[test]\nfn zero() { assert_eq!(add(0, 0), 0); }\n"
        ),
        (
            "go test -v ./...", "go.mod", "module example.com/calc\n\ngo 1.19\n", "calc.go",
            "package calc\n\nfunc Add(a, b int) int { return a - b }\n", "calc_test.go",
            "package calc\n\nimport \"testing\"\n\nfunc TestAdds(t *testing.T) { if Add(2, 2) != 4 { t.Fatal(\"add\") } }\n\nfunc TestZero(t *testing.T) { if Add(0, 0) != 0 { t.Fatal(\"zero\") } }\n"
        ),
        (
            "npm test", "package.json", "{\"name\": \"calc\", \"scripts\": {\"test\": \"node --test\"}}\n", "calc.js",
            "exports.add = (a, b) => a - b;\n", "test/calc.test.js",
            "const test = require('node:test');\nconst assert = require('node:assert');\nconst { add } = require('../calc');\ntest('adds', () => assert.strictEqual(add(2, 2), 4));\ntest('zero', () => assert.strictEqual(add(0, 0), 0));\n"
        ),
    ])
    func aBaselineWithoutAReportStillNamesItsTests(
        _ command: String, _ manifest: String, _ manifestText: String, _ source: String, _ sourceText: String,
        _ test: String, _ testText: String
    ) async throws {
        let directory = try TemporaryDirectory()
        try directory.write(manifest, manifestText)
        try directory.write(source, sourceText)
        try directory.write(test, testText)
        let script = try directory.write(".replies.json", #"["no edits"]"#)
        let run = try await CLI.run([
            "fix", directory.url.path, "--test-cmd", command, "--provider", "script", "--script", script.path,
            "--no-store",
            "--max-iterations", "1", "--json", "--allow-dirty",
        ])
        let baseline = try #require(try run.json()["baseline"] as? [String: Any], "\(run.stdout) \(run.stderr)")
        #expect(baseline["outcome"] as? String == "failed", "\(baseline)")
        let tests = try #require(baseline["tests"] as? [[String: Any]])
        let outcomes = Dictionary(
            tests.map { (($0["name"] as? String ?? "").lowercased(), $0["outcome"] as? String ?? "") },
            uniquingKeysWith: { $1 })
        let adds = outcomes.first { $0.key.hasSuffix("adds") }?.value
        let zero = outcomes.first { $0.key.hasSuffix("zero") }?.value
        #expect(adds == "failed" && zero == "passed", "\(command): \(tests)")
    }

    /// The `[project]` table of the Python projects below, which each follows with its tools' own tables.
    static let calcProject = """
        [project]
        name = "calc"
        version = "0.1.0"
        requires-python = ">=3.9"
        dependencies = []
        """

    /// A Python project run as its users run it, through uv, its virtualenv's console script, tox and nox: each
    /// made ready first (with the network), then run by `fix` offline in the sandbox, its tests named one by one.
    @Test func aPythonProjectRunThroughItsUsersToolsOffline() async throws {
        let directory = try TemporaryDirectory()
        try directory.write(
            "pyproject.toml",
            Self.calcProject + """

                [dependency-groups]
                dev = ["pytest"]

                [tool.uv]
                package = false

                [tool.pytest.ini_options]
                pythonpath = ["."]
                """)
        try directory.write(
            "tox.ini", "[tox]\nenv_list = py\nskipsdist = true\n[testenv]\ndeps = pytest\ncommands = pytest {posargs}\n"
        )
        try directory.write(
            "noxfile.py",
            "import nox\n\n@nox.session(venv_backend=\"none\")\ndef tests(session):\n    session.run(\"python3\", \"-m\", \"pytest\")\n"
        )
        try directory.write("calc.py", "def add(a, b):\n    return a - b\n")
        try directory.write(
            "tests/test_calc.py",
            "from calc import add\n\ndef test_adds():\n    assert add(2, 2) == 4\n\ndef test_zero():\n    assert add(0, 0) == 0\n"
        )
        let script = try directory.write(".replies.json", #"["no edits"]"#)
        // Ready as the user's own machine would be: the virtualenv synced, tox's environment made.
        for command in ["uv sync -q", "tox -e py --notest -q"] {
            let ready = try await ProcessRunner().run(
                ProcessRequest(
                    executable: "/bin/sh", arguments: ["-c", command],
                    environment: ProcessInfo.processInfo.environment, workingDirectory: directory.url.path,
                    timeout: .seconds(300)))
            #expect(ready.exitCode == 0, "\(command): \(ready.standardError.text)")
        }
        for command in ["uv run pytest", ".venv/bin/pytest -q", "tox -e py", "nox -s tests"] {
            let run = try await CLI.run([
                "fix", directory.url.path, "--test-cmd", command, "--provider", "script", "--script", script.path,
                "--no-store", "--max-iterations", "1", "--json", "--allow-dirty",
            ])
            let baseline = try #require(try run.json()["baseline"] as? [String: Any], "\(command): \(run.stderr)")
            let tests = (baseline["tests"] as? [[String: Any]] ?? []).map {
                "\($0["name"] as? String ?? ""):\($0["outcome"] as? String ?? "")"
            }
            #expect(baseline["outcome"] as? String == "failed", "\(command): \(baseline)")
            #expect(tests.sorted() == ["test_adds:failed", "test_zero:passed"], "\(command): \(baseline)")
        }
    }

    /// `poetry run` runs in the virtualenv poetry made under the user's cache (which the sandbox does not show), as
    /// the user's shell would, not in an empty one with whatever pytest `PATH` finds.
    @Test func poetryRunsTheTestsInItsOwnVirtualenv() async throws {
        let directory = try TemporaryDirectory()
        try directory.write(
            "pyproject.toml",
            Self.calcProject + """

                [tool.poetry]
                package-mode = false

                [tool.poetry.group.dev.dependencies]
                pytest = "*"

                [tool.pytest.ini_options]
                pythonpath = ["."]
                """)
        try directory.write("calc.py", "def add(a, b):\n    return a - b\n")
        try directory.write(
            "tests/test_calc.py",
            """
            import sys
            from calc import add

            def test_adds():
                assert add(2, 2) == 4

            def test_in_poetrys_virtualenv():
                assert "pypoetry" in sys.prefix, sys.prefix
            """)
        let script = try directory.write(".replies.json", #"["no edits"]"#)
        // Poetry's own place for it, not a .venv in the tree (which the sandbox shows anyway).
        let outside = ["POETRY_VIRTUALENVS_IN_PROJECT": "false"]
        func poetry(_ command: String) async throws -> ProcessResult {
            try await ProcessRunner().run(
                ProcessRequest(
                    executable: "/bin/sh", arguments: ["-c", command],
                    environment: ProcessInfo.processInfo.environment.merging(outside) { $1 },
                    workingDirectory: directory.url.path, timeout: .seconds(300)))
        }
        let installed = try await poetry("poetry install -q && poetry env info -p")
        #expect(installed.exitCode == 0, "\(installed.standardError.text)")
        #expect(installed.standardOutput.text.contains("pypoetry"))
        let run = try await CLI.run(
            [
                "fix", directory.url.path, "--test-cmd", "poetry run pytest", "--provider", "script", "--script",
                script.path, "--no-store", "--max-iterations", "1", "--json", "--allow-dirty",
            ], environment: outside)
        _ = try? await poetry("poetry env remove --all -q")
        let baseline = try #require(try run.json()["baseline"] as? [String: Any], "\(run.stderr)")
        let tests = (baseline["tests"] as? [[String: Any]] ?? []).map {
            "\($0["name"] as? String ?? ""):\($0["outcome"] as? String ?? "")"
        }
        #expect(tests.sorted() == ["test_adds:failed", "test_in_poetrys_virtualenv:passed"], "\(baseline)")
    }

    /// Other runners that never reach a test (a Go module whose dependency is not there, a crate that cannot be
    /// had offline, an npm script whose tool is not installed) exit 3 with their own line, and no model is called;
    /// a test command that is itself not found stays bad input.
    @Test(arguments: [
        (
            "go test ./...", "go.mod", "module example.com/x\n\ngo 1.19\n\nrequire github.com/google/go-cmp v0.6.0\n",
            "x.go",
            "package x\n\nimport \"github.com/google/go-cmp/cmp\"\n\nfunc Same(a, b int) bool { return cmp.Equal(a, b) }\n",
            "missing go.sum entry"
        ),
        (
            "cargo test --offline", "Cargo.toml",
            "[package]\nname = \"x\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nno-such-crate-here = \"1.0\"\n",
            "src/lib.rs", "pub fn one() -> i32 { 1 }\n", "no-such-crate-here"
        ),
        (
            "npm test", "package.json", "{\"name\": \"x\", \"scripts\": {\"test\": \"jest\"}}\n", "x.js",
            "exports.one = 1;\n", "jest is not installed"
        ),
    ])
    func anotherRunnerThatCannotStartExitsThree(
        _ command: String, _ manifest: String, _ manifestText: String, _ source: String, _ sourceText: String,
        _ line: String
    ) async throws {
        let directory = try TemporaryDirectory()
        try directory.write(manifest, manifestText)
        try directory.write(source, sourceText)
        let run = try await CLI.run([
            "fix", directory.url.path, "--test-cmd", command, "--provider", "script", "--script", "x", "--no-store",
            "--allow-dirty",
        ])
        #expect(run.code == 3, "\(command): \(run.stderr)")
        #expect(run.stderr.contains("failed before running any test") && run.stderr.contains(line), "\(run.stderr)")
        #expect(run.stderr.contains("no model was called"), "\(run.stderr)")
        let typo = try await CLI.run([
            "fix", directory.url.path, "--test-cmd", "no-such-runner-here test", "--provider", "script", "--script",
            "x", "--no-store", "--allow-dirty",
        ])
        #expect(typo.code == 2 && typo.stderr.contains("was not found (exit 127)"), "\(typo.stderr)")
    }

    /// A version manager's shim (pyenv's `python3`) is followed in the repository, where it reads the tree's own
    /// `.python-version`, as the user's shell there would: a tree that names an interpreter without pytest gets
    /// that interpreter's error, not another Python's test run.
    /// pyenv's shims read the directory's `.python-version`; asdf's and mise's its `.tool-versions` (`python X`).
    @Test(arguments: ["pyenv", "asdf"])
    func aShimIsFollowedInTheRepositoryAsTheShellWould(_ manager: String) async throws {
        let directory = try TemporaryDirectory()
        let root = try repository(in: directory.url)
        let bare = directory.url.appendingPathComponent("bare").path
        let made = try await ProcessRunner().run(
            ProcessRequest(
                executable: "/usr/bin/env", arguments: ["python3", "-m", "venv", "--without-pip", bare],
                workingDirectory: directory.url.path, timeout: .seconds(120)))
        #expect(made.exitCode == 0, "\(made.standardError.text)")
        let real = try #require(
            try await ProcessRunner().run(
                ProcessRequest(
                    executable: "/usr/bin/env", arguments: ["python3", "-c", "import sys; print(sys.executable)"],
                    workingDirectory: directory.url.path, timeout: .seconds(60))
            ).standardOutput.text.split(separator: "\n").first.map(String.init))
        // A shim of that kind: the interpreter the current directory's file names, else the default.
        let (file, line, read) =
            manager == "pyenv"
            ? (".python-version", bare + "/bin/python3\n", "cat .python-version")
            : (
                ".tool-versions", "nodejs 20.0.0\npython \(bare)/bin/python3\n",
                "awk '$1 == \"python\" { print $2 }' .tool-versions"
            )
        let shims = directory.url.appendingPathComponent("shims")
        try FileManager.default.createDirectory(at: shims, withIntermediateDirectories: true)
        let shim = shims.appendingPathComponent("python3")
        try "#!/bin/sh\nif [ -f \(file) ]; then exec \"$(\(read))\" \"$@\"; fi\nexec \(real) \"$@\"\n".write(
            to: shim, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: shim.path)
        try line.write(to: root.appendingPathComponent(file), atomically: true, encoding: .utf8)
        let path = shims.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let run = try await CLI.run(
            ["fix", root.path, "--provider", "script", "--script", "x", "--no-store", "--allow-dirty"],
            environment: ["PATH": path])
        #expect(run.code == 3, "\(run.stderr)")
        #expect(run.stderr.contains("Running the tests once first: \(bare)/bin/python3 -m pytest"), "\(run.stderr)")
        #expect(run.stderr.contains("No module named pytest"), "\(run.stderr)")
    }

    @Test func aTestCommandThatCannotStartExitsThreeWithItsOwnError() async throws {
        // A conftest that imports a plugin nobody installed (as werkzeug's did), an unknown option, and a plugin
        // named in pytest_plugins: pytest never reaches a test, and no model is called.
        let directory = try TemporaryDirectory()
        let root = try repository(in: directory.url)
        let conftest = root.appendingPathComponent("conftest.py")
        try "import pytest_plugin_nobody_installed\n".write(to: conftest, atomically: true, encoding: .utf8)
        let plugin = try await CLI.run(["fix", root.path, "--provider", "script", "--script", "x", "--no-store"])
        #expect(plugin.code == 3, "\(plugin.stderr)")
        #expect(plugin.stderr.contains("failed before running any test (exit 4)"), "\(plugin.stderr)")
        #expect(plugin.stderr.contains("No module named 'pytest_plugin_nobody_installed'"))
        #expect(plugin.stderr.contains("no model was called") && plugin.stderr.contains("'conftest.py'"))
        try "pytest_plugins = [\"plugin_nobody_installed\"]\n".write(to: conftest, atomically: true, encoding: .utf8)
        let named = try await CLI.run(["fix", root.path, "--provider", "script", "--script", "x", "--no-store"])
        #expect(named.code == 3 && named.stderr.contains("plugin_nobody_installed"), "\(named.stderr)")
        try FileManager.default.removeItem(at: conftest)
        let option = try await CLI.run([
            "fix", root.path, "--test-cmd", "python3 -m pytest --no-such-option", "--provider", "script", "--script",
            "x", "--no-store",
        ])
        #expect(
            option.code == 3 && option.stderr.contains("unrecognized arguments: --no-such-option"), "\(option.stderr)")
    }
}

/// `autocoder fix` on a Swift package, with the command generator and --apply.
@Suite struct SwiftFixCommandTests {
    @Test func aCommandGeneratorFixesTheSwiftPackageAndApplies() async throws {
        let directory = try TemporaryDirectory()
        let root = directory.url.appendingPathComponent("intervals")
        try FileManager.default.copyItem(
            at: CLI.repository.appendingPathComponent("Tests/Fixtures/repositories/intervals"), to: root)
        let answer = directory.url.appendingPathComponent("answer.txt")
        try
            ("Sources/Intervals/Interval.swift\n<<<<<<< SEARCH\n        lower < other.upper && other.lower < upper\n"
            + "=======\n        lower <= other.upper && other.lower <= upper\n>>>>>>> REPLACE\n").write(
                to: answer, atomically: true, encoding: .utf8)
        let run = try await CLI.run(
            [
                "fix", root.path, "--provider", "command", "--command", "cat > /dev/null; cat \(answer.path)",
                "--apply", "--no-store",
            ],
            timeout: .seconds(600))
        #expect(run.code == 0, "\(run.stderr)")
        let source = try String(
            contentsOf: root.appendingPathComponent("Sources/Intervals/Interval.swift"), encoding: .utf8)
        #expect(source.contains("lower <= other.upper"))
        #expect(
            !FileManager.default.fileExists(atPath: root.appendingPathComponent(".build").path),
            "the build ran in a copy")
    }
}

/// Ctrl-C during a `fix --apply` leaves the user's tree exactly as it was, and leaves no overlay mounted.
@Suite struct FixInterruptTests {
    @Test func anInterruptedFixChangesNothing() async throws {
        let directory = try TemporaryDirectory()
        let root = directory.url.appendingPathComponent("textstats")
        try FileManager.default.copyItem(
            at: CLI.repository.appendingPathComponent("Tests/Fixtures/repositories/textstats"), to: root)
        let before = try String(contentsOf: root.appendingPathComponent("textstats/stats.py"), encoding: .utf8)
        let started = directory.url.appendingPathComponent("asked")
        let process = try CLI.launch([
            "fix", root.path, "--apply", "--no-store", "--provider", "command",
            "--command", "touch \(started.path); exec sleep 300",
        ])
        for _ in 0..<1_500 where !FileManager.default.fileExists(atPath: started.path) {
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(FileManager.default.fileExists(atPath: started.path), "the generator was never asked")
        kill(process.processIdentifier, SIGINT)
        await process.exited()
        #expect(process.terminationStatus == 130)
        #expect(try String(contentsOf: root.appendingPathComponent("textstats/stats.py"), encoding: .utf8) == before)
        let entries = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        #expect(entries == ["README.md", "pyproject.toml", "tests", "textstats"])
        let mounts = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
        #expect(!mounts.contains(root.path))
    }
}
