import Foundation

/// Looks at processes by PID.
public enum ProcessProbe {
    /// Whether `pid` is gone (or a zombie waiting to be reaped), waiting up to `seconds` for the kernel to finish
    /// delivering a kill that was already sent.
    public static func isGone(_ pid: Int32, within seconds: Double = 5) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if isDeadNow(pid) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return isDeadNow(pid)
    }

    public static func isDeadNow(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        // The state follows the parenthesised command name: "123 (sleep) S ...".
        guard let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state == "Z" || state == "X"
    }
}
