import Foundation

/// What `autocoder --version` prints: the version, and the commit a release was built from. `scripts/release`
/// writes the commit into `lib/autocoder/BUILD`, beside the resources (``InstalledResources``); a build from source
/// has none and says so.
enum BuildVersion {
    static let number = "0.1.0"

    static var text: String {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let build = executable.deletingLastPathComponent().appendingPathComponent("lib/autocoder/BUILD")
        let commit = (try? String(contentsOf: build, encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard let commit, !commit.isEmpty, commit.count <= 80 else { return "\(number) (built from source)" }
        return "\(number) (commit \(commit))"
    }
}
