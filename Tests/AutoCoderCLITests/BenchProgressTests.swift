import Foundation
import Logging
import Testing

@testable import AutoCoderCommands

@Suite struct BenchProgressTests {
    @Test func theBarFillsWithTheShareDoneAndEstimatesTheRest() {
        #expect(
            BenchProgress.bar(done: 0, total: 164, solved: 0, elapsed: .zero, width: 10)
                == "[░░░░░░░░░░] 0/164 · 0 solved · 0.0 s")
        #expect(
            BenchProgress.bar(done: 41, total: 164, solved: 40, elapsed: .seconds(2), width: 8)
                == "[██░░░░░░] 41/164 · 40 solved · 2.0 s · about 6 s left")
        #expect(
            BenchProgress.bar(done: 164, total: 164, solved: 160, elapsed: .milliseconds(8500), width: 4)
                == "[████] 164/164 · 160 solved · 8.5 s")
    }
}

@Suite struct PlainLogHandlerTests {
    @Test func warningsAreOnePlainLine() {
        let line = PlainLogHandler.line(level: .warning, message: "The warm pytest worker cannot start.")
        #expect(line == "autocoder: warning: The warm pytest worker cannot start.")
        #expect(PlainLogHandler.line(level: .critical, message: "x") == "autocoder: error: x")
        #expect(PlainLogHandler().logLevel == .warning, "debug and info lines are dropped")
    }
}
