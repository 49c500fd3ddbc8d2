import Foundation
import Synchronization

/// What must not outlive autocoder, however it ends: temporary directories and long-lived children register a
/// cleanup here, and the program runs them all just before it exits (a normal end, an error, Ctrl-C). Each
/// cleanup runs once; one that already ran on its own unregisters itself.
public enum ExitCleanup {
    /// A registered cleanup, to unregister when it has been done.
    public struct Token: Hashable, Sendable {
        fileprivate let id: UInt64
    }

    private static let state = Mutex<(next: UInt64, actions: [UInt64: @Sendable () -> Void])>((0, [:]))

    /// Registers `action` to run at exit.
    public static func add(_ action: @escaping @Sendable () -> Void) -> Token {
        state.withLock { state in
            state.next += 1
            state.actions[state.next] = action
            return Token(id: state.next)
        }
    }

    /// Unregisters a cleanup that is no longer needed.
    public static func remove(_ token: Token) {
        _ = state.withLock { $0.actions.removeValue(forKey: token.id) }
    }

    /// Runs every registered cleanup, newest first, and forgets them.
    public static func runAll() {
        let actions = state.withLock { state -> [@Sendable () -> Void] in
            defer { state.actions = [:] }
            return state.actions.sorted { $0.key > $1.key }.map(\.value)
        }
        actions.forEach { $0() }
    }
}
