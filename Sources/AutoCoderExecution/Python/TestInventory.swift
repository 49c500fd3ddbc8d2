import AutoCoder
import Foundation

/// What a task's test files define and import, read by Python's own parser (the files are parsed, never run).
///
/// It lets the executor check that every test function ran (a shortfall means the code under test interfered
/// with collection or ended the run early) and that no generated module shadows one the tests import.
struct TestInventory: Codable, Hashable, Sendable {
    /// A test function as pytest's JUnit report names it: `suite` is the module path with dots (plus `.Class`).
    struct Test: Codable, Hashable, Sendable {
        var suite: String
        var name: String
    }

    var tests: [Test]
    /// The top-level modules the test files import.
    var imports: [String]
    /// The standard library's module names, for the interpreter that parsed the files.
    var standardModules: [String]
    /// The other top-level modules that interpreter finds on its own path (site-packages).
    var installedModules: [String]

    /// What an inventory is kept by: the test files given to pytest, as the task has them (and as they were
    /// written to the workspace), and the interpreter that parses them.
    struct Key: Hashable, Sendable {
        var files: [CodeFile]
        var interpreter: String

        /// The key of `modules` (paths among `tests`) for `interpreter`.
        init(modules: [String], of tests: [CodeFile], interpreter: String) {
            files = modules.compactMap { path in tests.first { $0.path == path } }
            self.interpreter = interpreter
        }

        var paths: [String] { files.map(\.path) }
    }

    /// The inventory of `key`'s files (already written to `directory`), or why it could not be read (a syntax
    /// error in a test file, which pytest reports too, or a broken interpreter).
    static func read(
        _ key: Key, in directory: String, worker: PytestWorker? = nil
    ) async -> Result<TestInventory, InventoryError> {
        let files = key.paths
        return await cache.inventory(for: key) {
            if let worker,
                let reply = try? await worker.send(
                    PytestWorkerProtocol.InventoryRequest(files: files, workdir: directory)),
                let inventory = fromWorker(reply, worker: worker)
            {
                return inventory
            }
            guard let script = PytestWorker.script else {
                return .failure(InventoryError(reason: "the worker script is not among the module's resources"))
            }
            let request = ProcessRequest(
                executable: key.interpreter, arguments: ["-I", "-S", script.path, "--inventory"] + files,
                environment: ["PATH": "/usr/bin:/bin"], workingDirectory: directory, timeout: .seconds(30),
                outputLimit: 4 * 1_048_576, limits: ResourceLimits(openFiles: nil))
            let result: ProcessResult
            do {
                result = try await ProcessRunner().run(request)
            } catch {
                return .failure(InventoryError(reason: error.localizedDescription))
            }
            guard result.exitCode == 0 else {
                let stderr = result.standardError.text.trimmingCharacters(in: .whitespacesAndNewlines)
                let lastLine = stderr.split(separator: "\n").last.map(String.init) ?? "exit \(result.shellExitCode)"
                return .failure(InventoryError(reason: lastLine))
            }
            do {
                return .success(
                    try JSONDocument.decoder().decode(TestInventory.self, from: result.standardOutput.text))
            } catch {
                return .failure(InventoryError(reason: "unreadable inventory: \(error)"))
            }
        }
    }

    /// The inventory of `key`'s files if it was read before in this process.
    static func known(_ key: Key) async -> TestInventory? {
        await cache.known(key)
    }

    /// The inventory a worker sent in `reply` (alone, or with a run's result), or `nil` when the reply has none.
    static func fromWorker(
        _ reply: PytestWorkerProtocol.Reply, worker: PytestWorker
    ) -> Result<TestInventory, InventoryError>? {
        if let error = reply.inventoryError ?? reply.error {
            return .failure(InventoryError(reason: error))
        }
        guard let inventory = reply.inventory else { return nil }
        return .success(
            TestInventory(
                tests: inventory.tests, imports: inventory.imports, standardModules: worker.standardModules,
                installedModules: worker.installedModules))
    }

    /// Keeps `inventory` for the next runs of the same files.
    static func remember(_ inventory: TestInventory, for key: Key) async {
        await cache.remember(inventory, for: key)
    }

    private static let cache = InventoryCache()

    /// The expected tests that the report does not show.
    func missing(from reported: [TestCase]) -> [Test] {
        let ran = Set(reported.map { Test(suite: $0.suite ?? "", name: Self.functionName($0.name)) })
        return tests.filter { !ran.contains($0) }
    }

    /// `test_x[1-2]` → `test_x`: parametrized cases belong to their function.
    static func functionName(_ name: String) -> String {
        name.firstIndex(of: "[").map { String(name[..<$0]) } ?? name
    }
}

/// Why the test files' inventory could not be read.
struct InventoryError: Error, Hashable, Sendable {
    var reason: String
}

/// Inventories by the content of the test files, so that each task's tests are parsed once per process.
private actor InventoryCache {
    private var known: [TestInventory.Key: TestInventory] = [:]

    func known(_ key: TestInventory.Key) -> TestInventory? { known[key] }

    func remember(_ inventory: TestInventory, for key: TestInventory.Key) { known[key] = inventory }

    func inventory(
        for key: TestInventory.Key, make: () async -> Result<TestInventory, InventoryError>
    ) async -> Result<TestInventory, InventoryError> {
        if let inventory = known[key] { return .success(inventory) }
        let result = await make()
        if case .success(let inventory) = result { known[key] = inventory }
        return result
    }
}
