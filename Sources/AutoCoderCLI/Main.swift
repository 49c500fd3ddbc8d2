import ArgumentParser
import AutoCoderExecution
import Foundation
import Logging

/// The entry point: parses the command line, runs the command, and turns every failure into the contract's exit
/// codes with one line on stderr (never a stack trace).
@main
enum Main {
    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        LoggingSystem.bootstrap { _ in PlainLogHandler() }
        let work = Task { () async throws -> Void in
            let command: any ParsableCommand
            do {
                command = try AutoCoderCommand.parseAsRoot(Self.spelled(Array(CommandLine.arguments.dropFirst())))
            } catch {
                exitForParseError(error)
            }
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var command = command
                try command.run()
            }
        }
        let interrupts = InterruptHandler { work.cancel() }
        defer { interrupts.stop() }
        do {
            try await work.value
            ExitCleanup.runAll()
        } catch let exit as CLIExit {
            if let message = exit.message {
                Terminal.error(message)
                Terminal.jsonError(exit.code, message)
            }
            finish(exit.code.rawValue)
        } catch let code as ExitCode {
            finish(code.rawValue)
        } catch is CancellationError {
            Terminal.error("interrupted")
            Terminal.jsonError(.interrupted, "interrupted")
            finish(ExitStatus.interrupted.rawValue)
        } catch {
            exitForParseError(error)
        }
    }

    /// Removes what must not outlive autocoder (workspaces, warm workers), then exits with `code`.
    static func finish(_ code: Int32) -> Never {
        ExitCleanup.runAll()
        Foundation.exit(code)
    }

    /// Help and version go to stdout with exit 0; anything else ArgumentParser raises is bad input: one line, exit 2.
    private static func exitForParseError(_ error: any Error) -> Never {
        if AutoCoderCommand.exitCode(for: error) == .success {
            AutoCoderCommand.exit(withError: error)
        }
        let message =
            AutoCoderCommand.message(for: error)
            .split(separator: "\n").first.map(String.init) ?? "invalid arguments"
        Terminal.error("\(message) (see 'autocoder help')")
        Terminal.jsonError(.badInput, message)
        Foundation.exit(ExitStatus.badInput.rawValue)
    }

    /// The arguments as the parser takes them: `--events=deltas` is `--events` with the hidden `--event-deltas`
    /// (a flag takes no value in ArgumentParser; `--events` alone stays a flag).
    static func spelled(_ arguments: [String]) -> [String] {
        arguments.flatMap { $0 == "--events=deltas" ? ["--events", "--event-deltas"] : [$0] }
    }
}
