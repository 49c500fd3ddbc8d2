import AutoCoder
import Foundation

extension SecretRedactor {
    /// A redactor that also knows the values of this process's secret-named variables (the names
    /// ``ChildEnvironment/isSecret(_:)`` keeps from code under test), so that a copy of one found by the code, in a
    /// file say, does not leave through its output either.
    public static func forCurrentEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> SecretRedactor {
        SecretRedactor(knownSecrets: environment.filter { ChildEnvironment.isSecret($0.key) }.map(\.value))
    }
}
