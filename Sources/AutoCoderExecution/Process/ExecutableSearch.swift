import Foundation

/// Finds programs the way a shell does, without running one.
enum ExecutableSearch {
    /// The executable file that `name` denotes: itself when it contains a slash, else the first match on `path`.
    static func locate(_ name: String, path: String) -> String? {
        if name.contains("/") {
            return FileManager.default.isExecutableFile(atPath: name) ? URL(fileURLWithPath: name).path : nil
        }
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
