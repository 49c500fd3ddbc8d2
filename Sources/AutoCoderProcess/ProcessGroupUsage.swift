import Foundation

/// The CPU time a process group has used, read from `/proc`: what its live members used, plus what their
/// children that have been waited for used. It only grows while the group works, so a helper whose number stands
/// still (and prints nothing) is waiting for something.
public enum ProcessGroupUsage {
    /// Clock ticks of CPU time of the processes in group `group`; `nil` where `/proc` cannot be read.
    public static func cpuTicks(group: pid_t) -> Int? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        var total = 0
        for entry in entries where entry.first?.isNumber == true {
            guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let fields = fieldsAfterName(stat), fields.count > 14, Int32(fields[2]) == group
            else { continue }
            // state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
            total += fields[11...14].compactMap { Int($0) }.reduce(0, +)
        }
        return total
    }

    /// The fields of a `/proc/PID/stat` line after the command name, which is in parentheses and may hold spaces.
    private static func fieldsAfterName(_ stat: String) -> [Substring]? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ")
    }
}
