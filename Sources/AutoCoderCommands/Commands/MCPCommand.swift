import ArgumentParser
import Foundation

/// `autocoder mcp`: the MCP server over stdio. It is the `autocoder-mcp` executable beside this one (a product of
/// its own, so that the core CLI never waits for the MCP SDK's build), which replaces this process.
struct MCPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve autocoder's tools (solve, fix, test, exec, runs_list, run_show) over MCP on stdio.",
        discussion: """
            For coding agents: `claude mcp add autocoder -- autocoder mcp` (Claude Code), or a client's MCP \
            configuration with the command `autocoder` and the argument `mcp`. Each tool answers with the document \
            its command prints with --json, as structured content; `solve` sends progress when asked, and a \
            cancellation stops its run. The protocol is on stdout; notes go to stderr. It ends when the client \
            closes. It runs `autocoder-mcp`, built with `swift build --product autocoder-mcp` (scripts/test builds \
            it). See docs/mcp.md.
            """)

    func run() throws {
        try SiblingExecutable.exec("autocoder-mcp", arguments: [], what: "the MCP server")
    }
}
