import Foundation

/// The environments given to child processes.
public enum ChildEnvironment {
    /// The variables code under test may see (besides `LC_*`); `HOME` and `TMPDIR` are set to the run's own.
    public static let allowedNames: Set<String> = ["PATH", "LANG", "LANGUAGE", "TZ"]

    /// Name endings and names that mark a secret; matched without regard to case.
    public static let secretSuffixes = ["_API_KEY", "_TOKEN", "_SECRET", "_PASSWORD", "_CREDENTIALS", "_ACCESS_KEY"]
    public static let secretNames: Set<String> = ["API_KEY", "TOKEN", "SECRET", "PASSWORD", "AWS_SECRET_ACCESS_KEY"]

    /// The environment for code under test: only the allowed variables of `environment` (never one that looks
    /// like a secret), with `HOME` and `TMPDIR` pointing at `home`.
    public static func allowlisted(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, home: String
    ) -> [String: String] {
        var result = environment.filter { name, _ in
            (allowedNames.contains(name) || name.hasPrefix("LC_")) && !isSecret(name)
        }
        result["PATH"] = result["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        result["HOME"] = home
        result["TMPDIR"] = home
        return result
    }

    /// `environment` without the variables that look like secrets (for helpers that are not untrusted code).
    public static func scrubbed(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [String: String] {
        environment.filter { !isSecret($0.key) }
    }

    /// Whether a variable of this name probably holds a credential.
    public static func isSecret(_ name: String) -> Bool {
        let upper = name.uppercased()
        return secretNames.contains(upper) || secretSuffixes.contains { upper.hasSuffix($0) }
    }
}
