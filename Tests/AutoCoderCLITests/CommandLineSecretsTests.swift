import Testing

@testable import AutoCoderCommands

/// The passwords of URLs on the command line are found where they are, and nothing else is touched.
@Suite struct CommandLineSecretsTests {
    func masked(_ argument: String) -> String {
        var bytes = Array(argument.utf8)
        for range in CommandLineSecrets.passwordRanges(in: bytes) {
            for position in range { bytes[position] = UInt8(ascii: "x") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func passwordsInURLsAreMasked() {
        #expect(masked("postgres://autocoder:s3cr%40t@db:5432/bench") == "postgres://autocoder:xxxxxxxx@db:5432/bench")
        #expect(
            masked("--store=postgresql://u:pw@h/db?sslmode=require") == "--store=postgresql://u:xx@h/db?sslmode=require"
        )
        #expect(masked("postgres://user@host/db") == "postgres://user@host/db")
        #expect(masked("postgres://host:5432/db") == "postgres://host:5432/db")
        #expect(masked("examples/demo") == "examples/demo")
        #expect(masked("http://a:b@x and https://c:dd@y") == "http://a:x@x and https://c:xx@y")
    }
}
