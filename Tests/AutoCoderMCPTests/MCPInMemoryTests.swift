import AutoCoder
import AutoCoderMCP
import Foundation
import MCP
import Testing

/// The MCP server driven in-process over the SDK's in-memory transport, as the Python client drives it over stdio
/// (AutoCoderCLITests.MCPServerTests): the tools it lists, a real test run through the `test` tool, and a tool's
/// failure as an `isError` result that leaves the server serving.
@Suite struct MCPInMemoryTests {
    @Test func theToolsAnswerOverAnInMemoryTransport() async throws {
        let (clientEnd, serverEnd) = await InMemoryTransport.createConnectedPair()
        let server = await MCPServer.make()
        try await server.start(transport: serverEnd)
        let client = Client(name: "autocoder-tests", version: "1")
        _ = try await client.connect(transport: clientEnd)

        let (tools, _) = try await client.listTools()
        #expect(Set(tools.map(\.name)) == ["solve", "fix", "test", "exec", "runs_list", "run_show"])

        let (content, isError) = try await client.callTool(
            name: "test",
            arguments: [
                "code": .object(["add.py": .string("def add(a, b):\n    return a + b\n")]),
                "tests": .object([
                    "test_add.py": .string("from add import add\n\ndef test_add():\n    assert add(2, 3) == 5\n")
                ]),
            ])
        #expect(isError != true)
        let document = try #require(Self.json(content))
        #expect(document["outcome"] as? String == "passed", "\(document)")
        #expect(document["num_passed"] as? Int == 1)

        let (refused, refusedIsError) = try await client.callTool(name: "test", arguments: ["code": .object([:])])
        #expect(refusedIsError == true)
        #expect(Self.text(refused).contains("tests"), "\(Self.text(refused))")
        let (again, _) = try await client.listTools()
        #expect(again.count == tools.count)

        await client.disconnect()
        await server.stop()
    }

    static func text(_ content: [Tool.Content]) -> String {
        content.compactMap { if case .text(let text, _, _) = $0 { text } else { nil } }.joined()
    }

    static func json(_ content: [Tool.Content]) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(text(content).utf8)) as? [String: Any]
    }
}
