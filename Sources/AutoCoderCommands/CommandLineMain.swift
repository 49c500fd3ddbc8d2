import ArgumentParser
import AutoCoderExecution
import AutoCoderStore
import Foundation
import Logging

/// The command line's entry point: parses the arguments, runs the command, and turns every failure into the
/// contract's exit codes with one line on stderr (never a stack trace). `autocoder` is this; `autocoder-worker cli`
/// is this too, with the PostgreSQL store registered (the core CLI hands it a `--store postgres://…` command).
public enum Main {
    public static func main(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async {
        signal(SIGPIPE, SIG_IGN)
        LoggingSystem.bootstrap { _ in PlainLogHandler() }
        forwardForeignStore(arguments)
        let work = Task { () async throws -> Void in
            let command: any ParsableCommand
            if let problem = Spelling.problem(in: arguments) {
                Terminal.error("\(problem) (see 'autocoder help')")
                Terminal.jsonError(.badInput, problem)
                Foundation.exit(ExitStatus.badInput.rawValue)
            }
            do {
                command = try AutoCoderCommand.parseAsRoot(Self.spelled(arguments))
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

    /// A `--store` this executable cannot open (a `postgres://` URL in the core CLI, which does not link
    /// postgres-nio) is handed, with the whole command line, to `autocoder-worker cli`: the same commands with the
    /// PostgreSQL store.
    private static func forwardForeignStore(_ arguments: [String]) {
        let given =
            zip(arguments, arguments.dropFirst()).first { $0.0 == "--store" }?.1
            ?? arguments.first { $0.hasPrefix("--store=") }.map { String($0.dropFirst("--store=".count)) }
        guard let given, let scheme = StoreBackends.scheme(of: given), !StoreBackends.canOpen(scheme: scheme) else {
            return
        }
        do {
            try SiblingExecutable.exec(
                QueuedBench.worker, arguments: ["cli"] + arguments, what: "the \(scheme):// run store")
        } catch let exit as CLIExit {
            Terminal.error(exit.message ?? "cannot open the \(scheme):// run store")
            Foundation.exit(exit.code.rawValue)
        } catch {
            Foundation.exit(ExitStatus.toolFailure.rawValue)
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
