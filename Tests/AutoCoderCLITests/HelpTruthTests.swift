import AutoCoderTestSupport
import Foundation
import Testing

/// Every flag a command's help lists is one the command takes: given alone (with a value where it needs one), it is
/// never refused as unknown or as doing nothing there.
@Suite struct HelpTruthTests {
    /// A value each flag that takes one accepts.
    static let values: [String: String] = [
        "--timeout": "20", "--python": "python3", "--memory": "512", "--disk": "256", "--max-procs": "64",
        "--language": "python", "--module": "Adder", "--integrity": "warn", "--env": "COLOUR=blue",
    ]

    /// The flags `help COMMAND` lists, and whether each takes a value.
    func flags(of command: String) async throws -> [(flag: String, takesValue: Bool)] {
        let help = try await CLI.run(["help"] + command.split(separator: " ").map(String.init))
        // An option's own line starts with two spaces and the flag; a wrapped description's lines start further in.
        return help.stdout.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("  --") else { return nil }
            let words = line.split(separator: " ")
            guard let first = words.first, first.wholeMatch(of: /--[a-z][a-z0-9-]*/) != nil else { return nil }
            return (String(first), words.count > 1 && words[1].hasPrefix("<"))
        }
    }

    @Test(arguments: ["test", "exec", "doctor"])
    func everyListedFlagIsAccepted(_ command: String) async throws {
        let dir = try TemporaryDirectory()
        let code = try dir.write("adder.py", "def add(a, b):\n    return a + b\n")
        let data = try dir.write("data.txt", "1 2\n")
        let tests = try dir.write(
            "test_adder.py", "from adder import add\n\ndef test_add():\n    assert add(1, 2) == 3\n")
        let base: [String] =
            switch command {
            case "test": ["test", "--code", code.path, "--tests", tests.path]
            case "exec": ["exec", code.path]
            default: [command]
            }
        let listed = try await flags(of: command)
        #expect(listed.count >= 6, "help \(command) lists \(listed)")
        for (flag, takesValue) in listed where !["--help", "--version", "--code", "--tests"].contains(flag) {
            let value = takesValue ? [flag == "--files" ? data.path : Self.values[flag] ?? "1"] : []
            let run = try await CLI.run(base + [flag] + value)
            for refusal in ["does nothing", "Unknown option", "Missing expected argument"] {
                #expect(!run.stderr.contains(refusal), "\(command) \(flag): \(run.stderr)")
            }
            #expect(run.code != 2, "\(command) \(flag) exited 2: \(run.stderr)")
        }
    }

    /// The commands that run a model or a whole bench: each flag their help lists, given with a value where it takes
    /// one, gets past the parser (never "Unknown option"); an invalid `--timeout` after it stops the command at its
    /// validation, before anything runs.
    @Test(arguments: [
        ("solve", ["solve", "examples/demo"]), ("fix", ["fix", "."]), ("bench run", ["bench", "humaneval"]),
        ("bench polyglot", ["bench", "polyglot", "/tmp"]), ("bench exercism", ["bench", "exercism", "/tmp"]),
        ("replay", ["replay", "abcd"]),
    ])
    func everyListedFlagOfARunningCommandIsParsed(_ command: String, _ base: [String]) async throws {
        let listed = try await flags(of: command)
        #expect(listed.count >= 10, "help \(command) lists \(listed)")
        for (flag, takesValue) in listed where !["--help", "--version", "--timeout"].contains(flag) {
            let value = takesValue ? [Self.values[flag] ?? "1"] : []
            let run = try await CLI.run(base + [flag] + value + ["--timeout", "-1"])
            for refusal in ["Unknown option", "Missing expected argument", "Did you mean"] {
                #expect(!run.stderr.contains(refusal), "\(command) \(flag): \(run.stderr)")
            }
            #expect(run.code == 2, "\(command) \(flag): \(run.stderr)")
        }
    }
}
