import AutoCoderTestSupport
import Foundation
import Synchronization
import Testing

@testable import AutoCoderExecution

/// Long trusted helpers (pip, venv) can be stopped and cannot hang silently.
@Suite struct HelperCommandTests {
    let marker = "helper\(UInt64.random(in: 100_000_000...999_999_999))"

    func shell(_ script: String) -> ProcessRequest {
        ProcessRequest(
            executable: "/bin/bash", arguments: ["-c", script, marker], workingDirectory: "/tmp",
            timeout: .seconds(60))
    }

    @Test func aHelperThatWaitsSilentlyIsStoppedWithItsChildren() async throws {
        let started = ContinuousClock.now
        await #expect(throws: HelperStalled.self) {
            _ = try await HelperCommand(
                shell("echo starting; (exec -a \(marker) sleep 1000) & exec -a \(marker) sleep 1000"),
                stallLimit: .seconds(1), checkInterval: .milliseconds(200)
            ).run { _ in }
        }
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(await ProcessProbe.noneLeft(withMarker: marker), "the stalled helper's processes outlived it")
    }

    @Test func theStallMessageSaysWhatStalledAndItsLastLines() {
        let stalled = HelperStalled(command: "/venv/bin/python", limit: .seconds(180), tail: ["Building wheel"])
        let text = stalled.localizedDescription
        #expect(text.contains("/venv/bin/python printed nothing and used no CPU time for 180 s"))
        #expect(text.contains("Building wheel"))
    }

    @Test func aHelperThatComputesSilentlyIsNotAStall() async throws {
        let (status, _) = try await HelperCommand(
            shell("end=$((SECONDS+3)); while [ $SECONDS -lt $end ]; do :; done"),
            stallLimit: .seconds(1), checkInterval: .milliseconds(200)
        ).run { _ in }
        #expect(status == 0)
    }

    @Test func linesArriveAsTheyAreWritten() async throws {
        let lines = Mutex<[String]>([])
        let (status, tail) = try await HelperCommand(shell("echo one; echo two >&2; printf three")).run { line in
            lines.withLock { $0.append(line) }
        }
        #expect(status == 0)
        #expect(Set(lines.withLock { $0 }) == ["one", "two", "three"])
        #expect(tail.count == 3)
    }

    @Test func cancellingKillsTheWholeGroup() async throws {
        let run = Task {
            try await HelperCommand(shell("(exec -a \(marker) sleep 1000) & exec -a \(marker) sleep 1000")).run { _ in }
        }
        for _ in 0..<100 where ProcessProbe.processes(withMarker: marker).count < 2 {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(ProcessProbe.processes(withMarker: marker).count == 2)
        run.cancel()
        await #expect(throws: CancellationError.self) { _ = try await run.value }
        #expect(await ProcessProbe.noneLeft(withMarker: marker), "the cancelled helper's processes outlived it")
    }
}
