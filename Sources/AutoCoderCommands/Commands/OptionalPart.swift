/// The parts of autocoder a build may leave out, each a package trait: the HTTP API (`Serve`), the MCP server
/// (`MCP`) and PostgreSQL (`Postgres`: the queue, `worker` and postgres:// stores). The default build has none,
/// so that the first `swift run autocoder` never waits for Hummingbird, the MCP SDK or postgres-nio; releases and
/// `scripts/test` build with every trait.
enum OptionalPart: String, CaseIterable {
    case serve = "Serve"
    case mcp = "MCP"
    case postgres = "Postgres"

    /// What the part gives, for messages.
    var what: String {
        switch self {
        case .serve: "the HTTP API ('autocoder serve')"
        case .mcp: "the MCP server ('autocoder mcp')"
        case .postgres: "PostgreSQL (the bench queue, 'autocoder worker', postgres:// stores)"
        }
    }

    /// Whether this build has the part.
    var isBuilt: Bool {
        switch self {
        case .serve:
            #if Serve
                true
            #else
                false
            #endif
        case .mcp:
            #if MCP
                true
            #else
                false
            #endif
        case .postgres:
            #if Postgres
                true
            #else
                false
            #endif
        }
    }

    /// The one-line failure of a command that needs the part in a build without it.
    var missing: CLIExit {
        .toolFailure(
            "this autocoder was built without \(what): build it with `swift build --traits \(rawValue)` (or "
                + "`--enable-all-traits`), or install a release, which has every part.")
    }
}
