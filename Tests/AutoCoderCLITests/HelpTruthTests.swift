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
        let help = try await CLI.run(["help", command])
        return help.stdout.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard let first = words.first, first.hasPrefix("--"), first.count > 2 else { return nil }
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
}
