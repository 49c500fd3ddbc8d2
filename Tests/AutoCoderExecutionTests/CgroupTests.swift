import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderExecution

/// Run cgroups: per-run limits in a cgroup that outlives its runs, and the sweep of cgroups left by processes
/// that are gone.
@Suite struct CgroupTests {
    func layout() async throws -> CgroupLayout {
        try #require(await SandboxCapabilities.current().cgroupLayout, "no cgroups here")
    }

    /// A process ID that is not in use now.
    func deadPID() async throws -> pid_t {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        await process.exited()
        return process.processIdentifier
    }

    @Test func limitsAreSetOnTopOfWhatTheCgroupHolds() async throws {
        let cgroup = try Cgroup.create(memoryBytes: nil, maxProcesses: nil, layout: try await layout())
        defer { cgroup.killAllAndRemove() }
        let start = try cgroup.limitNextRun(memoryBytes: 64 * 1_048_576, maxProcesses: 8)
        if let pids = cgroup.pidsDirectory {
            #expect(Cgroup.number(in: "\(pids)/pids.max") == start.processes + 8)
        }
        if let memory = cgroup.memoryDirectory {
            let file = cgroup.version == 2 ? "memory.max" : "memory.limit_in_bytes"
            let limit = try #require(Cgroup.number(in: "\(memory)/\(file)"))
            // The kernel rounds the limit down to whole pages.
            #expect(abs(limit - (start.memoryBytes + 64 * 1_048_576)) < 4096)
        }
        _ = try cgroup.limitNextRun(memoryBytes: nil, maxProcesses: nil)
        if let pids = cgroup.pidsDirectory {
            let text = try String(contentsOfFile: "\(pids)/pids.max", encoding: .utf8)
            #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == "max")
        }
        #expect(cgroup.events(since: start) == Cgroup.Events(outOfMemory: false, processLimitHit: false))
    }

    @Test func theSweepRemovesOnlyCgroupsWhoseCreatorIsGone() async throws {
        let layout = try await layout()
        let ours = try Cgroup.create(memoryBytes: nil, maxProcesses: nil, layout: layout)
        defer { ours.remove() }
        let dead = try await deadPID()
        try #require(kill(dead, 0) != 0)
        let orphanName = "\(Cgroup.namePrefix)\(dead)-\(UUID().uuidString.lowercased())"
        let orphans = ours.directories.map {
            URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent(orphanName).path
        }
        for directory in orphans { try Cgroup.makeDirectory(directory) }
        defer { for directory in orphans { rmdir(directory) } }
        Cgroup.sweep(layout)
        #expect(orphans.allSatisfy { !FileManager.default.fileExists(atPath: $0) }, "a dead process's cgroup stayed")
        #expect(ours.directories.allSatisfy { FileManager.default.fileExists(atPath: $0) }, "a live one was removed")
    }
}
