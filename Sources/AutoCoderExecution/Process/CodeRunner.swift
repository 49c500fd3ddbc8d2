import AutoCoder

/// Runs a program directly (what `autocoder exec` does), bounded like a test run.
public protocol CodeRunner: Sendable {
    /// Runs `code`, written under `fileName` in a fresh workspace with `input`'s files beside it, with `input`'s
    /// arguments and standard input, within `timeout` (the runner's own when `nil`).
    func run(code: String, fileName: String, timeout: Duration?, input: ProgramInput) async throws -> CodeRunResult
}

/// What a program run directly gets besides its code.
public struct ProgramInput: Sendable {
    /// The program's arguments (after its file name).
    public var arguments: [String]
    /// Its standard input; `nil` gives it the null device.
    public var standardInput: String?
    /// Files written next to the program (modules it imports, data it reads).
    public var files: [CodeFile]
    /// Told each chunk of the program's own output as it comes (not its compiler's), for a caller that shows it
    /// live.
    public var observer = ProcessObserver()

    public init(arguments: [String] = [], standardInput: String? = nil, files: [CodeFile] = []) {
        self.arguments = arguments
        self.standardInput = standardInput
        self.files = files
    }
}
