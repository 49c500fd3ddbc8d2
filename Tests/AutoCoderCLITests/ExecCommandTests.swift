import AutoCoderTestSupport
import Foundation
import Testing

@Suite struct ExecCommandTests {
    @Test func runsInlineCode() async throws {
        let run = try await CLI.run(["exec", "-c", "print('hello'); import sys; print('oops', file=sys.stderr)"])
        #expect(run.code == 0)
        #expect(run.stdout == "hello\n")
        #expect(run.stderr == "oops\n")
    }

    @Test func standardInputArgumentsAndNeighbourFilesReachTheProgram() async throws {
        let piped = try await CLI.run(["exec", "-c", "print(input().upper())"], input: "hi\n")
        #expect(piped.code == 0, "\(piped.stderr)")
        #expect(piped.stdout == "HI\n")

        let dir = try TemporaryDirectory()
        let helper = try dir.write("helper.py", "def twice(x):\n    return 2 * x\n")
        let program = try dir.write(
            "prog.py", "import sys\nfrom helper import twice\nprint(twice(int(sys.argv[1])), sys.argv[2:])\n")
        let run = try await CLI.run(["exec", program.path, "--files", helper.path, "--", "21", "a", "-b"])
        #expect(run.code == 0, "\(run.stderr)")
        #expect(run.stdout == "42 ['a', '-b']\n")

        let large = try await CLI.run(["exec", "-c", "pass"], input: String(repeating: "x", count: (1 << 20) + 1))
        #expect(large.code == 2)
        #expect(large.stderr.contains("larger than 1 MiB"))
    }

    /// A file whose extension no language claims is refused, not run as Python (a fresh attacker's `prog.c` was).
    @Test func aFileOfNoKnownLanguageIsRefused() async throws {
        let dir = try TemporaryDirectory()
        let program = try dir.write("prog.c", "int main(void) { return 0; }\n")
        let run = try await CLI.run(["exec", program.path])
        #expect(run.code == 2, "\(run.stdout) \(run.stderr)")
        #expect(run.stderr.contains("no language of autocoder's runs .c files; give --language"), "\(run.stderr)")
        let chosen = try await CLI.run(["exec", program.path, "--language", "cpp"])
        #expect(chosen.code == 0, "\(chosen.stdout) \(chosen.stderr)")
    }

    @Test func passesTheExitCodeOn() async throws {
        let run = try await CLI.run(["exec", "-c", "raise SystemExit(7)"])
        #expect(run.code == 7)
    }

    @Test func anErrorShowsItsTraceback() async throws {
        let run = try await CLI.run(["exec", "-c", "1/0"])
        #expect(run.code == 1)
        #expect(run.stderr.contains("ZeroDivisionError"))
    }

    @Test func runsAFile() async throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("hello.py", "import sys\nprint(sys.argv[0])\n")
        let run = try await CLI.run(["exec", file.path, "--json"])
        #expect(run.code == 0)
        let json = try run.json()
        #expect(json["stdout"] as? String == "hello.py\n")
        #expect(json["exit_code"] as? Int == 0)
        #expect(json["timed_out"] as? Bool == false)
    }

    @Test func timeoutExits124AndKillsChildren() async throws {
        let marker = ProcessProbe.sleepMarker()
        let code = "import subprocess, time\nsubprocess.Popen(['sleep', '\(marker)'])\ntime.sleep(300)"
        let run = try await CLI.run(["exec", "-c", code, "--timeout", "2", "--json"])
        #expect(run.code == 124)
        let json = try run.json()
        #expect(json["timed_out"] as? Bool == true)
        #expect(json["exit_code"] as? Int == 124)
        #expect((json["message"] as? String)?.contains("did not finish") == true)
        #expect(await ProcessProbe.noneLeft(withMarker: marker))
    }

    /// Five times: the killed program's own status once came out of 2 interrupts in 30.
    @Test(arguments: 1...5) func outputArrivesAsItComesAndCtrlCExits130WithIt(_ attempt: Int) async throws {
        let output = Pipe()
        let code = "import time\nprint('before', flush=True)\ntime.sleep(300)"
        let process = try CLI.launch(["exec", "-c", code], standardOutput: output)
        // The first line arrives while the program still runs (it used to come only at the end).
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("before") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        #expect(String(decoding: seen, as: UTF8.self) == "before\n")
        #expect(process.isRunning)
        kill(process.processIdentifier, SIGINT)
        await process.exited()
        // 130, never the killed program's 137.
        #expect(process.terminationStatus == 130)
    }

    @Test func withoutTheSandboxAChildInANewSessionIsStoppedToo() async throws {
        let marker = ProcessProbe.sleepMarker()
        let code =
            "import subprocess\nsubprocess.Popen(['sleep', '\(marker)'], start_new_session=True)\nprint('started')"
        let run = try await CLI.run(["exec", "--no-sandbox", "-c", code])
        #expect(run.code == 0, "\(run.stderr)")
        #expect(run.stdout == "started\n")
        #expect(await ProcessProbe.noneLeft(withMarker: marker))
    }

    @Test func noSecretInTheEnvironment() async throws {
        let run = try await CLI.run(
            ["exec", "-c", "import os; print(sorted(k for k in os.environ if 'KEY' in k or 'TOKEN' in k))"],
            environment: ["OPENAI_API_KEY": "sk-test-123", "HF_TOKEN": "hf_x"])
        #expect(run.code == 0)
        #expect(run.stdout == "[]\n")
    }
}
