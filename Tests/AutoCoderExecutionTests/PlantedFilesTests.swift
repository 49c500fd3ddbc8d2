import AutoCoder
import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderExecution

/// autocoder never reads a host file that the code pointed it at: links, folders replaced by links, devices and
/// pipes, and oversized files under a run's directories are refused and make the run `tampered`.
@Suite struct PlantedFilesTests {
    @Test func linksPipesAndOversizedFilesAreRefusedAndRemembered() throws {
        let workspace = try Workspace.create()
        defer { workspace.remove() }
        let secret = workspace.home.appendingPathComponent("secret.xml")
        try Data("<testsuite><testcase name=\"SECRET\"/></testsuite>".utf8).write(to: secret)
        let report = workspace.reportDirectory
        try Data("plain".utf8).write(to: report.appendingPathComponent("plain.xml"))
        try FileManager.default.createSymbolicLink(
            atPath: report.appendingPathComponent("junit.xml").path, withDestinationPath: secret.path)
        try FileManager.default.createSymbolicLink(
            atPath: workspace.directory.appendingPathComponent("sub").path, withDestinationPath: workspace.home.path)
        #expect(mkfifo(report.appendingPathComponent("pipe").path, 0o600) == 0)
        try Data(repeating: 65, count: 2048).write(to: report.appendingPathComponent("big"))

        #expect(workspace.readBack(report.appendingPathComponent("plain.xml")) == Data("plain".utf8))
        #expect(workspace.readBack(report.appendingPathComponent("missing.xml")) == nil)
        #expect(workspace.planted.findings.isEmpty, "a missing file is not a planted one")
        #expect(workspace.readBack(report.appendingPathComponent("junit.xml")) == nil)
        #expect(workspace.readBack(workspace.directory.appendingPathComponent("sub/secret.xml")) == nil)
        #expect(workspace.readBack(report.appendingPathComponent("pipe")) == nil)  // returns at once: never blocks
        #expect(workspace.readBack(report.appendingPathComponent("big"), limit: 1024) == nil)
        #expect(
            workspace.planted.findings.map(\.file) == [
                "report/junit.xml", "work/sub/secret.xml", "report/pipe", "report/big",
            ])

        let judged = workspace.finalVerdict(TestResult(outcome: .passed, output: "ok"), tests: [])
        #expect(judged.outcome == .tampered)
        #expect(judged.integrity?.findings.first?.rule == "planted-file")
        #expect(!(judged.message ?? "").contains("SECRET"))
    }

    /// The attack end to end, in the tests' own process (where the code can write the report directory): the
    /// report replaced by a link to a host file of JUnit shape, after pytest wrote it. Nothing of the host file
    /// comes back, and the run is `tampered`.
    @Test(arguments: [true, false])
    func aReportReplacedByALinkIsTamperedAndUnread(warm: Bool) async throws {
        let host = FileManager.default.temporaryDirectory.appendingPathComponent(
            "autocoder-host-\(UUID().uuidString).xml")
        try Data(
            "<testsuites><testsuite name=\"pytest\"><testcase classname=\"test_add\" name=\"test_add\"><system-out>HOSTSECRET</system-out></testcase></testsuite></testsuites>"
                .utf8
        ).write(to: host)
        chmod(host.path, 0o600)
        defer { try? FileManager.default.removeItem(at: host) }
        let solution = """
            import atexit, os

            def plant():
                report = os.path.join(os.path.dirname(os.getcwd()), "report", "junit.xml")
                os.remove(report)
                os.symlink("\(host.path)", report)
                os._exit(0)

            atexit.register(plant)

            def add(a, b):
                return 0
            """
        let task = CodingTask(
            description: "add",
            tests: [
                CodeFile(
                    path: "test_add.py",
                    content: "from solution import add\n\ndef test_add():\n    assert add(2, 3) == 5\n")
            ])
        let executor = PytestExecutor(warmWorker: warm, integrity: .warn, workers: .forTests, outOfProcess: false)
        let result = try await executor.test([CodeFile(path: "solution.py", content: solution)], for: task)
        #expect(result.outcome == .tampered, "\(result.summary)")
        #expect(result.integrity?.findings.contains { $0.rule == "planted-file" } == true, "\(result.integrity as Any)")
        #expect(!result.output.contains("HOSTSECRET") && !(result.message ?? "").contains("HOSTSECRET"))
        #expect(!result.tests.contains { $0.message?.contains("HOSTSECRET") == true })
    }
}
