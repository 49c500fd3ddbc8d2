import Foundation
import Synchronization

/// Runs a trusted helper command (python, pip) and passes each line of its output on as it comes.
struct StreamedCommand: Sendable {
    var executable: URL
    var arguments: [String]
    var environment: [String: String]?

    /// Runs the command to its end; returns its exit status and its last lines of output. Cancelling the task
    /// terminates the command.
    func run(onLine: @escaping @Sendable (String) -> Void) async throws -> (status: Int32, tail: [String]) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let lines = LineCollector(onLine: onLine)
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
            } else {
                lines.append(data)
            }
        }
        let status: Int32 = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do {
                    try process.run()
                } catch {
                    process.terminationHandler = nil
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            process.terminate()
        }
        pipe.fileHandleForReading.readabilityHandler = nil
        if let rest = try? pipe.fileHandleForReading.readToEnd() { lines.append(rest) }
        lines.flush()
        try Task.checkCancellation()
        return (status, lines.tail)
    }
}

/// Splits output into lines, keeps the last ones.
private final class LineCollector: Sendable {
    private let state = Mutex<(pending: Data, tail: [String])>((Data(), []))
    private let onLine: @Sendable (String) -> Void

    init(onLine: @escaping @Sendable (String) -> Void) {
        self.onLine = onLine
    }

    func append(_ data: Data) {
        let complete = state.withLock { state -> [String] in
            state.pending.append(data)
            var lines: [String] = []
            while let newline = state.pending.firstIndex(of: 0x0A) {
                lines.append(String(decoding: state.pending[state.pending.startIndex..<newline], as: UTF8.self))
                state.pending.removeSubrange(state.pending.startIndex...newline)
            }
            state.tail = Array((state.tail + lines).suffix(30))
            return lines
        }
        complete.forEach(onLine)
    }

    func flush() {
        let last = state.withLock { state -> String? in
            guard !state.pending.isEmpty else { return nil }
            let line = String(decoding: state.pending, as: UTF8.self)
            state.pending = Data()
            state.tail = Array((state.tail + [line]).suffix(30))
            return line
        }
        if let last { onLine(last) }
    }

    var tail: [String] { state.withLock { $0.tail } }
}
