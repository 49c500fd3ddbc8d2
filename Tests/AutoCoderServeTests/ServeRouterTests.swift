import AutoCoder
import AutoCoderServe
import AutoCoderTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `autocoder serve`'s application driven in-process with HummingbirdTesting (the router, its middleware and the
/// real executors behind it), as AutoCoderCLITests.ServeCommandTests drive the binary over curl.
@Suite struct ServeRouterTests {
    func options(token: String? = nil, in directory: TemporaryDirectory) -> ServeOptions {
        var options = ServeOptions()
        options.port = 0
        options.token = token
        options.store = directory.url.appendingPathComponent("runs.sqlite").path
        return options
    }

    @Test func everyRequestNeedsTheTokenWhenOneIsSet() async throws {
        let directory = try TemporaryDirectory()
        let app = try HTTPServer.application(options(token: "s3cret", in: directory))
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/runs", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/runs", method: .get, headers: [.authorization: "Bearer nope!"]) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/healthz", method: .get, headers: [.authorization: "Bearer s3cret"]) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test func aTestRunGoesThroughTheRouterToTheSandbox() async throws {
        let directory = try TemporaryDirectory()
        let app = try HTTPServer.application(options(in: directory))
        let body = #"""
            {"code": {"add.py": "def add(a, b):\n    return a - b\n"},
             "tests": {"test_add.py": "from add import add\n\ndef test_add():\n    assert add(2, 3) == 5\n"}}
            """#
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/test", method: .post, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok)
                let document =
                    try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
                #expect(document?["outcome"] as? String == "failed", "\(document as Any)")
                #expect(document?["num_failed"] as? Int == 1)
            }
            try await client.execute(uri: "/v1/test", method: .post, body: ByteBuffer(string: "{")) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    /// A store that exists and is not one is said before serving.
    @Test func anUnusableStoreIsRefusedBeforeServing() throws {
        let directory = try TemporaryDirectory()
        var settings = options(in: directory)
        settings.store = try directory.write("not-a-store.sqlite", "this is not SQLite").path
        #expect {
            _ = try HTTPServer.application(settings)
        } throws: { error in
            if case ServeError.storeUnusable = error { return true }
            return false
        }
    }

    @Test func onlyLoopbackMayServeWithoutAToken() {
        var settings = ServeOptions()
        #expect(settings.problem == nil)
        settings.host = "0.0.0.0"
        #expect(settings.problem?.contains("not a loopback address") == true)
        settings.token = "t"
        #expect(settings.problem == nil)
        for host in ["127.0.0.2", "::1", "localhost"] {
            var loopback = ServeOptions()
            loopback.host = host
            #expect(loopback.problem == nil, "\(host)")
        }
    }
}
