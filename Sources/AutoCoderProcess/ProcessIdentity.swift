import Foundation

/// A process told apart from later ones that reuse its PID: its PID and its start time (Linux `/proc`).
public struct ProcessIdentity: Hashable, Sendable {
    public var pid: Int32?
    public var start: String?

    public init(pid: Int32?, start: String?) {
        self.pid = pid
        self.start = start
    }

    /// This process.
    public static var current: ProcessIdentity {
        let pid = getpid()
        return ProcessIdentity(pid: pid, start: startTime(of: pid))
    }

    /// Whether the process is still running (not a zombie, not another process with the same PID).
    public var isAlive: Bool {
        guard let pid, pid > 0 else { return false }
        #if os(Linux)
            guard let stat = Self.stat(of: pid) else { return false }
            if stat.state == "Z" || stat.state == "X" { return false }
            if let start, stat.start != start { return false }
            return true
        #else
            return kill(pid, 0) == 0 || errno == EPERM
        #endif
    }

    public static func startTime(of pid: Int32) -> String? {
        stat(of: pid)?.start
    }

    /// The state and start time fields of `/proc/PID/stat`.
    private static func stat(of pid: Int32) -> (state: Character?, start: String)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // After "PID (comm) ", fields start at 3 (state); the start time is field 22.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19 else { return nil }
        return (fields[0].first, String(fields[19]))
    }
}
