import Foundation

/// Where autocoder keeps what it builds once for every run (Catch2's main, Java's class archives):
/// `$AUTOCODER_HOME/cache`, else `~/.autocoder/cache`.
enum CacheDirectory {
    static var url: URL {
        let home =
            ProcessInfo.processInfo.environment["AUTOCODER_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".autocoder")
        return home.appendingPathComponent("cache")
    }
}
