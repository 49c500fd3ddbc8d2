import ArgumentParser
import AutoCoderExecution
import AutoCoderStore
import Foundation
import Logging

#if Postgres
    import AutoCoderPostgres
#endif

/// The command line's entry point: parses the arguments, runs the command, and turns every failure into the
/// contract's exit codes with one line on stderr (never a stack trace). `autocoder` is this, with the optional
/// parts its traits linked (``OptionalPart``).
public enum Main {
    public static func main(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async {
        signal(SIGPIPE, SIG_IGN)
        LoggingSystem.bootstrap { _ in PlainLogHandler() }
        #if Postgres
            PostgresStoreDatabase.register()
        #endif
        CommandLineSecrets.hide()
        if let problem = Spelling.problem(in: arguments) {
            Terminal.error("\(problem) (see 'autocoder help')")
            Terminal.jsonError(.badInput, problem)
            Foundation.exit(ExitStatus.badInput.rawValue)
        }
        let command: any ParsableCommand
        do {
            command = try AutoCoderCommand.parseAsRoot(Self.spelled(arguments))
        } catch {
            exitForParseError(error)
        }
        let ownSignals = command is any HandlesItsOwnSignals
        let parsed = HandedOver(command: command)
        let work = Task { () async throws -> Void in
            if var asyncCommand = parsed.command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var command = parsed.command
                try command.run()
            }
        }
        let interrupts = ownSignals ? nil : InterruptHandler { work.cancel() }
        defer { interrupts?.stop() }
        do {
            try await work.value
            ExitCleanup.runAll()
        } catch let exit as CLIExit where work.isCancelled && exit.code != .interrupted {
            // Interrupted: whatever the command made of its killed work (a program's 128+9, say), the exit says so.
            Terminal.error("interrupted")
            Terminal.jsonError(.interrupted, "interrupted")
            finish(ExitStatus.interrupted.rawValue)
        } catch let exit as CLIExit {
            if let message = exit.message {
                Terminal.error(message)
                Terminal.jsonError(exit.code, message)
            }
            finish(exit.code.rawValue)
        } catch let code as ExitCode {
            finish(work.isCancelled ? ExitStatus.interrupted.rawValue : code.rawValue)
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

/// A command that stops on SIGINT and SIGTERM by itself (`serve` gives its runs a grace period), so the command
/// line installs no interrupt handler of its own for it.
protocol HandlesItsOwnSignals {}

/// The parsed command, handed to the task that runs it; nothing else touches it afterwards.
private struct HandedOver: @unchecked Sendable {
    var command: any ParsableCommand
}
