import Foundation

/// Turns SIGINT and SIGTERM into a call to `onInterrupt` (which cancels the running command, so its processes are
/// killed and its partial result printed); a second signal ends autocoder at once.
///
/// A real handler (not `SIG_IGN` plus a dispatch source) is installed: on Linux a process-directed signal that
/// meets an ignoring disposition is dropped unless the chosen thread blocks it, and `SIG_IGN` would be inherited
/// by every child. A caught signal resets to its default in children at `exec`. The handler only writes a byte
/// to a pipe, which is async-signal-safe; a thread reads the pipe and calls back.
final class InterruptHandler {
    init(onInterrupt: @escaping @Sendable () -> Void) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        interruptPipeWriteEnd = fds[1]
        let readEnd = fds[0]
        let thread = Thread {
            var count = 0
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) == 1 {
                count += 1
                if count > 1 { Main.finish(ExitStatus.interrupted.rawValue) }
                onInterrupt()
            }
        }
        thread.start()
        for number in [SIGINT, SIGTERM] {
            var action = sigaction()
            #if canImport(Glibc)
                action.__sigaction_handler.sa_handler = interruptSignalHandler
            #else
                action.__sigaction_u.__sa_handler = interruptSignalHandler
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(number, &action, nil)
        }
    }

    /// Restores the default dispositions.
    func stop() {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

/// The write end of the pipe the signal handler writes to; set once, before the handler is installed.
nonisolated(unsafe) private var interruptPipeWriteEnd: Int32 = -1

private func interruptSignalHandler(_ signal: Int32) {
    var byte: UInt8 = 1
    _ = write(interruptPipeWriteEnd, &byte, 1)
}
