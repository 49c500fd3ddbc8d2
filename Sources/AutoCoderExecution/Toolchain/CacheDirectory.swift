import AutoCoder
import Foundation

/// Where autocoder keeps what it builds once for every run (Catch2's main, Java's class archives):
/// `$AUTOCODER_HOME/cache`, else `~/.autocoder/cache`.
enum CacheDirectory {
    static var url: URL {
        AutocoderHome.directory().appendingPathComponent("cache")
    }

    /// A name part that changes when any of `paths` does (each one's size and time), for what is built from them.
    static func stamp(of paths: [String]) -> String {
        paths.map { path in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let size = (attributes?[.size] as? Int) ?? 0
            let time = Int((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)
            return "\(size)-\(time)"
        }.joined(separator: "-")
    }
}
