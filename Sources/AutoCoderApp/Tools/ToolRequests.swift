import AutoCoder
import Foundation

// The argument shapes that front ends other than the CLI share (the MCP server's tools, the HTTP API's bodies):
// files travel as objects mapping a path to its content.

/// Runs tests once against code: the same document as `test --json` comes back.
public struct TestRequest: Codable, Hashable, Sendable {
    /// The code files, path → content.
    public var code: [String: String]
    /// The test files, path → content.
    public var tests: [String: String]
    /// The language; by default, the test files' own.
    public var language: Language?
    /// The wall-clock limit of the run, in seconds.
    public var timeout: Double?

    public init(code: [String: String], tests: [String: String], language: Language? = nil, timeout: Double? = nil) {
        self.code = code
        self.tests = tests
        self.language = language
        self.timeout = timeout
    }
}

/// Runs a program in the sandbox: the same document as `exec --json` comes back.
public struct ExecRequest: Codable, Hashable, Sendable {
    public var code: String
    /// The language (default: Python).
    public var language: Language?
    public var timeout: Double?

    public init(code: String, language: Language? = nil, timeout: Double? = nil) {
        self.code = code
        self.language = language
        self.timeout = timeout
    }
}

/// A task to solve, given inline: the same document as `solve --json` comes back.
public struct SolveRequest: Codable, Hashable, Sendable {
    public var description: String
    /// The test files, path → content.
    public var tests: [String: String]
    /// The file to write (default: the language's).
    public var solution: String?
    /// Starting files, path → content.
    public var starter: [String: String]?
    public var language: Language?
    public var maxIterations: Int?
    /// The generator: a provider's name (`openai`, `anthropic`, `ollama`, `local`, `script`), its model.
    public var provider: String?
    public var model: String?
    /// For the `script` provider: the replies it gives, in order.
    public var script: [String]?

    public init(
        description: String, tests: [String: String], solution: String? = nil, starter: [String: String]? = nil,
        language: Language? = nil, maxIterations: Int? = nil, provider: String? = nil, model: String? = nil,
        script: [String]? = nil
    ) {
        self.description = description
        self.tests = tests
        self.solution = solution
        self.starter = starter
        self.language = language
        self.maxIterations = maxIterations
        self.provider = provider
        self.model = model
        self.script = script
    }
}

/// Fixes an existing repository until its test command passes: the same document as `fix --json` comes back.
public struct FixRequest: Codable, Hashable, Sendable {
    /// The repository's root.
    public var path: String
    /// The command that runs its tests (default: the one its toolchain recognises).
    public var testCommand: String?
    /// What to change, beyond making the tests pass.
    public var goal: String?
    /// `diff` (the default: nothing changes), `apply` (into the tree) or `commit` (on a new branch).
    public var output: FixConfiguration.Output?
    public var maxIterations: Int?
    public var provider: String?
    public var model: String?
    /// For the `script` provider: the replies (SEARCH/REPLACE edits) it gives, in order.
    public var script: [String]?
}

/// A request whose body names its fields: a field not among them is bad input (a typo must not be ignored).
public protocol ToolRequest: Decodable {
    static var fields: Set<String> { get }
}

extension ToolRequest {
    /// The request in `data` (a JSON object), or why it cannot be read: not an object, an unknown field, a missing
    /// one, a wrong type.
    public static func decode(_ data: Data) throws(InputError) -> Self {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw InputError("The body is not a JSON object.")
        }
        if let unknown = object.keys.sorted().first(where: { !fields.contains($0) }) {
            throw InputError("Unknown field '\(unknown)'; the fields are \(fields.sorted().joined(separator: ", ")).")
        }
        do {
            return try JSONDocument.decoder().decode(Self.self, from: data)
        } catch let error as DecodingError {
            throw InputError(error.reason.prefix(1).uppercased() + error.reason.dropFirst() + ".")
        } catch {
            throw InputError("The body cannot be read: \(error.localizedDescription)")
        }
    }
}

extension TestRequest: ToolRequest {
    public static let fields: Set<String> = ["code", "tests", "language", "timeout"]
}

extension ExecRequest: ToolRequest {
    public static let fields: Set<String> = ["code", "language", "timeout"]
}

extension SolveRequest: ToolRequest {
    public static let fields: Set<String> = [
        "description", "tests", "solution", "starter", "language", "max_iterations", "provider", "model", "script",
    ]
}

extension FixRequest: ToolRequest {
    public static let fields: Set<String> = [
        "path", "test_command", "goal", "output", "max_iterations", "provider", "model", "script",
    ]
}

extension [String: String] {
    /// The files, sorted by path.
    var files: [CodeFile] {
        sorted { $0.key < $1.key }.map { CodeFile(path: $0.key, content: $0.value) }
    }
}
