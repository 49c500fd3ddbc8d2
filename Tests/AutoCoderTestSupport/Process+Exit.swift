import Foundation

extension Process {
    /// Waits for the process to end without blocking a thread of the cooperative pool.
    ///
    /// `waitUntilExit()` blocks its thread while Foundation notices the exit on another one. On a 2-core machine
    /// two tests blocked that way held every thread of Swift's cooperative pool, Foundation's exit handling never
    /// ran, and the whole test run hung.
    public func exited() async {
        while isRunning {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
