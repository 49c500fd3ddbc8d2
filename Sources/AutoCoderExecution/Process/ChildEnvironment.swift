import Foundation

/// The environment given to code under test: the parent's, less anything that looks like a secret.
public enum ChildEnvironment {
    /// Name endings and names that mark a secret; matched without regard to case.
    public static let secretSuffixes = ["_API_KEY", "_TOKEN", "_SECRET", "_PASSWORD", "_CREDENTIALS", "_ACCESS_KEY"]
    public static let secretNames: Set<String> = ["API_KEY", "TOKEN", "SECRET", "PASSWORD", "AWS_SECRET_ACCESS_KEY"]

    /// `environment` without the variables that look like secrets.
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
