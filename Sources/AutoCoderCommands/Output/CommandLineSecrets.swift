import Foundation

/// Passwords in URLs on autocoder's own command line (`--database postgres://user:secret@…`, `--store …`) are
/// overwritten in the process's argument memory once read, so that the process list (`ps`, /proc/PID/cmdline,
/// which any user can read) never shows them for the life of a long-running `worker` or `serve`.
enum CommandLineSecrets {
    static func hide() {
        let argv = CommandLine.unsafeArgv
        for index in 1..<Int(CommandLine.argc) {
            guard let argument = argv[index] else { continue }
            let length = strlen(argument)
            let bytes = UnsafeMutableBufferPointer(
                start: UnsafeMutableRawPointer(argument).assumingMemoryBound(to: UInt8.self), count: length)
            for range in passwordRanges(in: Array(bytes)) {
                for position in range { bytes[position] = UInt8(ascii: "x") }
            }
        }
    }

    /// Where the password of each `scheme://user:password@host` in `bytes` lies.
    static func passwordRanges(in bytes: [UInt8]) -> [Range<Int>] {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.utf8.count == bytes.count else { return [] }
        var ranges: [Range<Int>] = []
        for match in text.matches(of: /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\/\s:@]*:([^\/\s@]*)@/) {
            let range = match.output.1.startIndex..<match.output.1.endIndex
            let start = text.utf8.distance(from: text.startIndex, to: range.lowerBound)
            let end = text.utf8.distance(from: text.startIndex, to: range.upperBound)
            if start < end { ranges.append(start..<end) }
        }
        return ranges
    }
}
