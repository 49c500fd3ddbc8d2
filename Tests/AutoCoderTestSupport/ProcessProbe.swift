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

    /// The host PIDs of live processes whose command line contains `marker` (zombies excluded). Processes in a
    /// PID namespace have other numbers inside it; their command line is how a test finds them from outside.
    public static func processes(withMarker marker: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !isDeadNow(pid) else {
                return false
            }
            return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(marker)
        }
    }

    /// Whether no live process carries `marker`, allowing the kernel up to `seconds` to finish kills already sent.
    public static func noneLeft(withMarker marker: String, within seconds: Double = 5) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if processes(withMarker: marker).isEmpty { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return processes(withMarker: marker).isEmpty
    }

    /// A marker that `sleep` accepts as its duration: about 300 s, with digits no other process has.
    public static func sleepMarker() -> String {
        "300.\(UInt64.random(in: 100_000_000_000...999_999_999_999))"
    }
}
