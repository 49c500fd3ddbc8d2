import Foundation

/// Where autocoder keeps its own files (the run store, the local model, the build cache): `$AUTOCODER_HOME`, else
/// `~/.autocoder`. An empty `AUTOCODER_HOME=` counts as unset, never as the current directory.
public enum AutocoderHome {
    public static func directory(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        if let home = environment["AUTOCODER_HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".autocoder")
    }
}
