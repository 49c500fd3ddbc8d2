import AutoCoder

/// The registry of toolchains: a language is one folder and one line here.
public enum Toolchains {
    /// Every toolchain; the first is the language of tests whose files do not say.
    public static let all: [any Toolchain] = [
        PythonToolchain(),
        SwiftToolchain(),
        JavaScriptToolchain(),
        RustToolchain(),
        GoToolchain(),
        JavaToolchain(),
        CppToolchain(),
        TypeScriptToolchain(),
    ]

    /// The languages, for loading tasks and reading replies.
    public static let languages = LanguageCatalog(all)

    /// The toolchain of `language`, or `nil`.
    public static func toolchain(for language: Language) -> (any Toolchain)? {
        all.first { $0.language == language }
    }

    /// The toolchain of `language`, or an ``InputError`` listing the known ones.
    public static func require(_ language: Language) throws -> any Toolchain {
        guard let toolchain = toolchain(for: language) else {
            throw InputError("Unknown language '\(language)'; the known ones are \(languages.names).")
        }
        return toolchain
    }

    /// The toolchain whose source files end like `path`, or `nil`.
    public static func toolchain(forFile path: String) -> (any Toolchain)? {
        all.first { $0.isSource(path) }
    }
}
