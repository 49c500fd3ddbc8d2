import Foundation

extension PythonInterpreter {
    /// The directories this interpreter reads at run time outside the system ones: its prefixes (a pyenv or a
    /// virtual environment) and the entries of `sys.path` under `-I`. The sandbox's ``FilesystemView`` binds them
    /// read-only at their paths. Asked once per interpreter and process; the interpreter's own directory when it
    /// cannot be asked.
    public func runtimeDirectories() async -> [String] {
        await Self.directoryCache.directories(for: self)
    }

    /// Asks the interpreter, as the test process will start it (`-I`), where it reads from.
    fileprivate func askRuntimeDirectories() async -> [String] {
        let directory = FileManager.default.temporaryDirectory.path
        let program =
            "import json, sys; print(json.dumps([sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix]"
            + " + [entry for entry in sys.path if entry]))"
        let fallback = [URL(fileURLWithPath: path).deletingLastPathComponent().deletingLastPathComponent().path]
        guard
            let result = try? await ProcessRunner().run(
                ProcessRequest(
                    executable: path, arguments: ["-I", "-c", program],
                    environment: ChildEnvironment.allowlisted(home: directory), workingDirectory: directory,
                    timeout: .seconds(30))),
            result.exitCode == 0,
            let reported = try? JSONSerialization.jsonObject(with: Data(result.standardOutput.text.utf8)) as? [String]
        else { return fallback }
        return Self.runtimeDirectories(reported + [path])
    }

    /// The directories among `paths` (a file stands for its directory) that exist and lie outside the system
    /// directories, outermost only, never `/`.
    static func runtimeDirectories(_ paths: [String]) -> [String] {
        var directories: Set<String> = []
        for path in paths where path.hasPrefix("/") {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            let directory = isDirectory.boolValue ? path : (path as NSString).deletingLastPathComponent
            let standard = URL(fileURLWithPath: directory).standardizedFileURL.path
            if standard != "/", !FilesystemView.isSystemPath(standard) { directories.insert(standard) }
        }
        return directories.sorted().filter { directory in
            !directories.contains { $0 != directory && directory.hasPrefix($0 + "/") }
        }
    }

    private static let directoryCache = RuntimeDirectoryCache()
}

/// Each interpreter's runtime directories, asked once per process.
private actor RuntimeDirectoryCache {
    private var known: [String: Task<[String], Never>] = [:]

    func directories(for interpreter: PythonInterpreter) async -> [String] {
        if let task = known[interpreter.path] { return await task.value }
        let task = Task { await interpreter.askRuntimeDirectories() }
        known[interpreter.path] = task
        return await task.value
    }
}
