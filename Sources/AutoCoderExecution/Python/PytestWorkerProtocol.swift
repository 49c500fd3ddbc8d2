import Foundation

/// The messages between autocoder and its warm pytest worker (`pytest_worker.py`): one JSON object a line, with
/// snake_case keys on both sides. The worker's greeting says its ``version``; a worker of another version (a
/// script from another build) is refused, and runs go cold, rather than misread.
enum PytestWorkerProtocol {
    /// Raised whenever a message changes shape; `pytest_worker.py` has the same number (`PROTOCOL_VERSION`).
    static let version = 3

    /// The worker's first line: ready, or why not.
    struct Greeting: Decodable {
        var ready: Bool
        var version: Int?
        var pid: Int32?
        /// The keeper of a sandboxed worker's PID namespace.
        var keeper: Int32?
        var standardModules: [String]?
        var installedModules: [String]?
        var error: String?
        /// Whether it is the namespace that could not be made (pytest itself would run).
        var sandbox: Bool?
    }

    /// One test run: pytest with `args` in `workdir`, forked from the worker. With `inventory`, the worker first
    /// reads those test files' inventory (before the fork, while the files are as written).
    struct RunRequest: Encodable {
        let kind = "run"
        var workdir: String
        var args: [String]
        var env: [String: String]
        /// Seconds.
        var timeout: Double
        var stdout: String
        var stderr: String
        var outputKillLimit: Int
        /// `cpu`, `fsize`, `nofile`, `as`, `core`: the rlimits to set.
        var limits: [String: Int]
        /// Whether the run is sandboxed (the worker must be a sandboxed one).
        var isolate: Bool
        /// The filesystem view to make (``FilesystemView/workerEntries()``), for a sandboxed run.
        var view: [ViewEntry]?
        /// `[uid, gid]` to become, for a sandboxed run as root.
        var user: [UInt32]?
        var inventory: [String]?
        /// The integrity check's control file.
        var integrity: String?
        /// The code's own process, for a run whose verdict is computed apart from the code.
        var bridge: BridgeRequest?
    }

    /// The code process of a bridged run (`verdict_bridge.py`): its directory, environment, limits, view and user,
    /// the top-level modules the tests import through the bridge, and the file its own output goes to.
    struct BridgeRequest: Encodable {
        var workdir: String
        var env: [String: String]
        var limits: [String: Int]
        var view: [ViewEntry]
        var user: [UInt32]?
        var modules: [String]
        var output: String
    }

    /// Only the inventory of `files` (in `workdir`).
    struct InventoryRequest: Encodable {
        let kind = "inventory"
        var files: [String]
        var workdir: String
    }

    /// One step of the view: `[kind, path]` or `[kind, path, target or size]`.
    struct ViewEntry: Encodable {
        var kind: String
        var path: String
        var target: String?
        var size: Int?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(kind)
            try container.encode(path)
            if let target { try container.encode(target) }
            if let size { try container.encode(size) }
        }
    }

    /// A line the worker writes for a request: first `started` (the test process's PID), then the rest.
    struct Reply: Decodable {
        var started: Int32?
        var result: RunResult?
        var inventory: Inventory?
        var inventoryError: String?
        /// The worker could not handle the request.
        var error: String?
    }

    /// How a test process ended.
    struct RunResult: Decodable {
        var status: Int32?
        var signal: Int32?
        var timedOut: Bool?
        var outputExceeded: Bool?
        /// Seconds.
        var duration: Double?
        /// The test process could not set itself up (its sandbox): nothing of the code ran.
        var setupError: String?
    }

    /// The test files' functions and imports, as the worker read them.
    struct Inventory: Decodable {
        var tests: [TestInventory.Test]
        var imports: [String]
    }
}
