import AutoCoderTestSupport
import Foundation
import Testing

/// A reader that goes away (`autocoder … | head`) must not make autocoder crash with a stack trace.
@Suite struct ClosedPipeTests {
    @Test func writingToAClosedStdoutIsQuiet() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["doctor"]
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try stdout.fileHandleForReading.close()
        try process.run()
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        await process.exited()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(!errors.contains("Fatal error"))
        #expect(!errors.contains("crashed"))
    }
}
