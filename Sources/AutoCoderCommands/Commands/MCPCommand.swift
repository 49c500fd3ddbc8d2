import ArgumentParser
import Foundation

#if MCP
    import AutoCoderMCP
#endif

/// `autocoder mcp`: the MCP server over stdio (`AutoCoderMCP`, linked with the `MCP` trait).
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve autocoder's tools (solve, fix, test, exec, runs_list, run_show) over MCP on stdio.",
        discussion: """
            For coding agents: `claude mcp add autocoder -- autocoder mcp` (Claude Code), or a client's MCP \
            configuration with the command `autocoder` and the argument `mcp`. Each tool answers with the document \
            its command prints with --json, as structured content; `solve` sends progress when asked, and a \
            cancellation stops its run. The protocol is on stdout; notes go to stderr. It ends when the client \
            closes. Needs the MCP trait (`swift build --traits MCP`; releases have it). See docs/mcp.md.
            """)

    func run() async throws {
        #if MCP
            try await MCPServer.serveOnStandardIO()
            try Task.checkCancellation()  // stopped by Ctrl-C or SIGTERM, not by the client: 130
        #else
            throw OptionalPart.mcp.missing
        #endif
    }
}
