import AutoCoder
import Foundation

/// Landlock for every sandboxed run. bubblewrap has no Landlock option, and the rules must be made inside the view
/// (they name its directories) and after bubblewrap's mounts (a Landlocked process cannot mount), so the program
/// starts through a launcher: Debian's Python running `landlock_rules.py`'s source, which restricts itself and then
/// becomes the program. The source travels as an argument, so no file of the run's can stand in for it. The warm
/// pytest worker applies the same rules itself, in each run's process.
enum LandlockLauncher {
    /// The interpreter the launcher runs on: the system's, which every view binds (`/usr`).
    static let interpreter = "/usr/bin/python3"

    /// `landlock_rules.py`'s text, or `nil` where it is not installed.
    static let source: String? = InstalledResources.url(
        "autocoder_AutoCoderExecution", "landlock_rules", "py", fallback: { Bundle.module }
    ).flatMap { try? String(contentsOf: $0, encoding: .utf8) }

    /// Whether runs on this machine can start through the launcher.
    static func available(_ capabilities: SandboxCapabilities) -> Bool {
        capabilities.landlockABI > 0 && source != nil && FileManager.default.isExecutableFile(atPath: interpreter)
    }

    /// `request` made to start through the launcher, writing only beneath `writable` (paths as the program sees
    /// them).
    static func wrap(_ request: inout ProcessRequest, writable: [String]) {
        guard let source else { return }
        request.arguments =
            ["-I", "-S", "-c", source, writable.joined(separator: ":"), request.executable] + request.arguments
        request.executable = interpreter
    }
}
