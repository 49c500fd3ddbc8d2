import Foundation

/// Where a module's resource bundle (`autocoder_AutoCoderExecution.resources`) is. A build keeps it beside the
/// executable; an installed release (the tarball, the wheel, the Debian package: docs/install.md) keeps it in
/// `../lib/autocoder/` from the executable's real path, so that `bin/` holds only executables. SwiftPM's own
/// `Bundle.module` looks beside the executable and in the build folder, and stops the program when neither holds
/// it: asked only when this finds nothing.
public enum InstalledResources {
    /// The folder `bundle.resources`, beside the executable or in `../lib/autocoder/`, when either holds it.
    public static func folder(_ bundle: String) -> URL? {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        for base in [executable, executable.deletingLastPathComponent().appendingPathComponent("lib/autocoder")] {
            let folder = base.appendingPathComponent(bundle + ".resources")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue {
                return folder
            }
        }
        return nil
    }

    /// `name.ext` in `bundle`'s folder, else what `fallback` (the module's `Bundle.module`) gives.
    public static func url(
        _ bundle: String, _ name: String, _ ext: String, fallback: () -> Bundle
    ) -> URL? {
        if let folder = folder(bundle) {
            let file = folder.appendingPathComponent(name + "." + ext)
            return FileManager.default.fileExists(atPath: file.path) ? file : nil
        }
        return fallback().url(forResource: name, withExtension: ext)
    }
}
