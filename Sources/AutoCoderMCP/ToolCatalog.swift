import MCP

/// The tools `autocoder mcp` offers, with their input and output schemas.
enum ToolCatalog {
    static var names: String { tools.map(\.name).joined(separator: ", ") }

    static let files: Value = .object([
        "type": "object", "additionalProperties": .object(["type": "string"]),
        "description": "Files: each path mapped to its content.",
    ])

    static let tools: [Tool] = [
        Tool(
            name: "solve",
            description:
                "Write code until the given tests pass: autocoder asks a model (or replays a script of replies), runs "
                + "the tests in a sandbox, feeds the failures back and repeats, within the iteration limit. Answers "
                + "with the run's outcome (solved, iterations, final files, the last test result, usage), as "
                + "`autocoder solve --json` prints it; the run is recorded in the run store.",
            inputSchema: .object([
                "type": "object",
                "properties": .object([
                    "description": .object(["type": "string", "description": "What the code must do."]),
                    "tests": files,
                    "solution": .object([
                        "type": "string", "description": "The file to write (default: the language's).",
                    ]),
                    "starter": files,
                    "language": .object([
                        "type": "string",
                        "description":
                            "python, javascript, typescript, rust, go, java, cpp, swift (default: the tests' own).",
                    ]),
                    "max_iterations": .object(["type": "integer", "minimum": 1]),
                    "provider": .object([
                        "type": "string",
                        "description": "openai, anthropic, ollama, local or script (default: the first one available).",
                    ]),
                    "model": .object(["type": "string"]),
                    "script": .object([
                        "type": "array", "items": .object(["type": "string"]),
                        "description": "Replies to give in order (the script provider).",
                    ]),
                ]),
                "required": .array(["description", "tests"]),
            ]),
            annotations: .init(title: "Solve a coding task", destructiveHint: false, openWorldHint: true),
            outputSchema: outcomeSchema),
        Tool(
            name: "fix",
            description:
                "Make an existing repository's tests pass: autocoder runs its test command, shows a model the failures "
                + "and a map of the code, and applies its edits on an overlay in the sandbox until the tests pass. "
                + "By default nothing in the repository changes (the answer has the diff); output 'apply' writes the "
                + "change, 'commit' commits it on a new branch. Answers as `autocoder fix --json` prints.",
            inputSchema: .object([
                "type": "object",
                "properties": .object([
                    "path": .object(["type": "string", "description": "The repository's root."]),
                    "test_command": .object(["type": "string", "description": "Default: the one autocoder recognises."]
                    ),
                    "goal": .object(["type": "string"]),
                    "output": .object(["enum": .array(["diff", "apply", "commit"])]),
                    "max_iterations": .object(["type": "integer", "minimum": 1]),
                    "provider": .object(["type": "string"]), "model": .object(["type": "string"]),
                    "script": .object(["type": "array", "items": .object(["type": "string"])]),
                ]),
                "required": .array(["path"]),
            ]),
            annotations: .init(title: "Fix a repository", destructiveHint: true, openWorldHint: true),
            outputSchema: .object([
                "type": "object",
                "properties": .object([
                    "repository": .object(["type": "string"]), "diff": .object(["type": "string"]),
                    "nothing_to_fix": .object(["type": "boolean"]),
                ]),
                "required": .array(["repository", "diff", "nothing_to_fix"]),
            ])),
        Tool(
            name: "test",
            description:
                "Run tests once against code, in a fresh sandboxed workspace. Answers with the test result "
                + "(outcome, each test with its message, the output), as `autocoder test --json` prints it.",
            inputSchema: .object([
                "type": "object",
                "properties": .object([
                    "code": files, "tests": files,
                    "language": .object(["type": "string"]),
                    "timeout": .object(["type": "number", "exclusiveMinimum": 0]),
                ]),
                "required": .array(["code", "tests"]),
            ]),
            annotations: .init(title: "Run tests", readOnlyHint: true),
            outputSchema: .object([
                "type": "object",
                "properties": .object([
                    "passed": .object(["type": "boolean"]), "outcome": .object(["type": "string"]),
                    "tests": .object(["type": "array"]),
                ]),
                "required": .array(["passed", "outcome", "tests"]),
            ])),
        Tool(
            name: "exec",
            description:
                "Run a program in the sandbox (no network, its own workspace, bounded). Answers with its stdout, "
                + "stderr and exit code, as `autocoder exec --json` prints them.",
            inputSchema: .object([
                "type": "object",
                "properties": .object([
                    "code": .object(["type": "string"]), "language": .object(["type": "string"]),
                    "timeout": .object(["type": "number", "exclusiveMinimum": 0]),
                ]),
                "required": .array(["code"]),
            ]),
            annotations: .init(title: "Run a program", readOnlyHint: true),
            outputSchema: .object([
                "type": "object",
                "properties": .object([
                    "stdout": .object(["type": "string"]), "stderr": .object(["type": "string"]),
                    "exit_code": .object(["type": "integer"]),
                ]),
                "required": .array(["stdout", "stderr", "exit_code"]),
            ])),
        Tool(
            name: "runs_list",
            description: "The runs recorded in the run store, newest first.",
            inputSchema: .object([
                "type": "object", "properties": .object(["limit": .object(["type": "integer", "minimum": 1])]),
            ]),
            annotations: .init(title: "List runs", readOnlyHint: true),
            outputSchema: .object([
                "type": "object", "properties": .object(["runs": .object(["type": "array"])]),
                "required": .array(["runs"]),
            ])),
        Tool(
            name: "run_show",
            description: "One recorded run, whole: its task, settings, every step with its reply and test result.",
            inputSchema: .object([
                "type": "object",
                "properties": .object([
                    "id": .object(["type": "string", "description": "The run's id or a unique prefix."])
                ]),
                "required": .array(["id"]),
            ]),
            annotations: .init(title: "Show a run", readOnlyHint: true),
            outputSchema: .object(["type": "object"])),
    ]

    static let outcomeSchema: Value = .object([
        "type": "object",
        "properties": .object([
            "solved": .object(["type": "boolean"]), "iterations": .object(["type": "integer"]),
            "stop_reason": .object(["type": "string"]), "final_files": .object(["type": "array"]),
        ]),
        "required": .array(["solved", "iterations", "stop_reason"]),
    ])
}
