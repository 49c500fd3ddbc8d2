import AutoCoder
import Foundation

/// Class-data archives of javac's and JUnit's launcher's own classes (AppCDS; autocoder's ``JavaSealLauncher`` and
/// the console jar it runs), made once and kept in `$AUTOCODER_HOME/cache` (else `~/.autocoder/cache`) under a name
/// that changes with the JDK and the launcher: each
/// later JVM maps them instead of loading those classes again, about 0.15 s less per step (measured here). They are
/// made from a probe of two lines and Debian's jars, none of it the generated code's, so outside the sandbox. When
/// one cannot be made, runs go on without it.
actor JavaClassArchives {
    static let shared = JavaClassArchives()
    private var made: [String: Archives] = [:]

    struct Archives: Hashable, Sendable {
        var compiler: String?
        var launcher: String?

        /// The JVM options that map an archive, for `javac` (`-J`) or `java`.
        func options(forCompiler: Bool) -> [String] {
            guard let path = forCompiler ? compiler : launcher else { return [] }
            return [(forCompiler ? "-J" : "") + "-XX:SharedArchiveFile=" + path]
        }

        var paths: [String] { [compiler, launcher].compactMap { $0 } }
    }

    func archives(for installation: JUnitExecutor.Installation, sealLauncher: String) async -> Archives {
        let stamp = CacheDirectory.stamp(of: [installation.javaHome + "/release", installation.launcher, sealLauncher])
        if let found = made[stamp] { return found }
        let cache = CacheDirectory.url
        let compiler = cache.appendingPathComponent("javac-\(stamp).jsa").path
        let launcher = cache.appendingPathComponent("junit-\(stamp).jsa").path
        if !FileManager.default.fileExists(atPath: compiler) || !FileManager.default.fileExists(atPath: launcher) {
            await Self.make(installation, sealLauncher: sealLauncher, compiler: compiler, launcher: launcher)
        }
        let archives = Archives(
            compiler: FileManager.default.fileExists(atPath: compiler) ? compiler : nil,
            launcher: FileManager.default.fileExists(atPath: launcher) ? launcher : nil)
        made[stamp] = archives
        return archives
    }

    private static func make(
        _ installation: JUnitExecutor.Installation, sealLauncher: String, compiler: String, launcher: String
    ) async {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "autocoder-jsa-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: CacheDirectory.url, withIntermediateDirectories: true)
            try Data(
                """
                import org.junit.jupiter.api.Test;
                import static org.assertj.core.api.Assertions.assertThat;
                public class ProbeTest { @Test public void probe() { assertThat(1).isEqualTo(1); } }

                """.utf8
            ).write(to: scratch.appendingPathComponent("ProbeTest.java"))
        } catch { return }
        let temporaryCompiler = scratch.appendingPathComponent("javac.jsa").path
        let temporaryLauncher = scratch.appendingPathComponent("junit.jsa").path
        let steps: [(String, [String])] = [
            (
                installation.javaHome + "/bin/javac",
                JUnitExecutor.compilerOptions + [
                    "-J-XX:ArchiveClassesAtExit=" + temporaryCompiler, "-d", "classes", "-cp",
                    installation.classPath.joined(separator: ":"), "ProbeTest.java",
                ]
            ),
            (
                installation.javaHome + "/bin/java",
                JUnitExecutor.jvmOptions + ["-XX:ArchiveClassesAtExit=" + temporaryLauncher]
                    + JUnitExecutor.launcherArguments(
                        installation, sealLauncher: sealLauncher, classes: "classes", reports: "reports")
            ),
        ]
        for (executable, arguments) in steps {
            let result = try? await ProcessRunner().run(
                ProcessRequest(
                    executable: executable, arguments: arguments, environment: ChildEnvironment.scrubbed(),
                    workingDirectory: scratch.path, timeout: .seconds(120)))
            guard result?.exitCode == 0 else { return }
        }
        // Moved into place whole, so that a run that starts meanwhile never maps half a file.
        for (from, to) in [(temporaryCompiler, compiler), (temporaryLauncher, launcher)] {
            try? FileManager.default.moveItem(atPath: from, toPath: to)
        }
    }
}
