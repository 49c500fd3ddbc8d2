import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 for provider tests. Each request is answered by what `respond` returns
/// for it: a response streamed in chunks (with pauses, so they cross the network one by one), a hang, or a
/// dropped connection. Responses use chunked transfer encoding, so a dropped connection is an error for the
/// client and not a clean end.
public final class TestHTTPServer: @unchecked Sendable {
    /// A request as the server read it.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// Header names lower-cased.
        public var headers: [String: String]
        public var body: Data

        /// The body as JSON.
        public var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
    }

    /// What the server does with a request.
    public enum Action: Sendable {
        /// Answers `status` with `headers`, then the body's pieces one by one, `pause` apart; `dropAfter` pieces
        /// (when set) it closes the connection without finishing the body.
        case respond(
            status: Int, headers: [String: String] = [:], chunks: [Data], pause: Duration = .milliseconds(2),
            dropAfter: Int? = nil)
        /// Sends nothing for `duration`, then closes the connection.
        case hang(Duration)
    }

    public let port: UInt16
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }
    private let descriptor: Int32
    private let respond: @Sendable (Request, Int) -> Action
    private let recorded = Mutex<[Request]>([])
    private let stopped = Mutex(false)

    /// The requests received so far, in order.
    public var requests: [Request] { recorded.withLock { $0 } }

    /// Starts listening; `respond(request, index)` decides each answer (`index` counts from 0).
    public init(respond: @escaping @Sendable (Request, Int) -> Action) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ready = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && listen(descriptor, 32) == 0
                    && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard ready else {
            close(descriptor)
            throw POSIXError(.EADDRINUSE)
        }
        self.descriptor = descriptor
        self.port = UInt16(bigEndian: address.sin_port)
        self.respond = respond
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// A server that answers every request the same way.
    public convenience init(always action: Action) throws {
        try self.init { _, _ in action }
    }

    deinit { stop() }

    /// Stops accepting connections.
    public func stop() {
        let wasStopped = stopped.withLock { state in
            defer { state = true }
            return state
        }
        if !wasStopped { shutdown(descriptor, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while !stopped.withLock({ $0 }) {
            let client = accept(descriptor, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                break
            }
            var noDelay: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
            Thread { [self] in serve(client) }.start()
        }
        close(descriptor)
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        guard let request = readRequest(client) else { return }
        let index = recorded.withLock { requests in
            requests.append(request)
            return requests.count - 1
        }
        switch respond(request, index) {
        case .hang(let duration):
            Thread.sleep(forTimeInterval: duration.seconds)
        case .respond(let status, let headers, let chunks, let pause, let dropAfter):
            var head =
                "HTTP/1.1 \(status) \(Self.reason(status))\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
            var allHeaders = headers
            if allHeaders["Content-Type"] == nil { allHeaders["Content-Type"] = "text/event-stream" }
            for (name, value) in allHeaders { head += "\(name): \(value)\r\n" }
            guard write(client, Data((head + "\r\n").utf8)) else { return }
            for (number, chunk) in chunks.enumerated() {
                if let dropAfter, number >= dropAfter {
                    return
                }
                Thread.sleep(forTimeInterval: pause.seconds)
                let framed = Data((String(chunk.count, radix: 16) + "\r\n").utf8) + chunk + Data("\r\n".utf8)
                guard chunk.isEmpty || write(client, framed) else { return }
            }
            if dropAfter != nil { return }
            _ = write(client, Data("0\r\n\r\n".utf8))
        }
    }

    private func readRequest(_ client: Int32) -> Request? {
        var buffer = Data()
        var headerEnd: Range<Data.Index>?
        while headerEnd == nil {
            guard let piece = readSome(client) else { return nil }
            buffer.append(piece)
            headerEnd = buffer.range(of: Data("\r\n\r\n".utf8))
        }
        let headText = String(decoding: buffer[..<headerEnd!.lowerBound], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        var body = Data(buffer[headerEnd!.upperBound...])
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while body.count < length {
            guard let piece = readSome(client) else { break }
            body.append(piece)
        }
        return Request(
            method: requestLine.first.map(String.init) ?? "",
            path: requestLine.dropFirst().first.map(String.init) ?? "",
            headers: headers, body: body)
    }

    private func readSome(_ client: Int32) -> Data? {
        var bytes = [UInt8](repeating: 0, count: 65536)
        let count = read(client, &bytes, bytes.count)
        return count > 0 ? Data(bytes[..<count]) : nil
    }

    private func write(_ client: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = send(client, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if written <= 0 { return false }
                offset += written
            }
            return true
        }
    }

    private static func reason(_ status: Int) -> String {
        [200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 429: "Too Many Requests"][status]
            ?? (status >= 500 ? "Server Error" : "Status")
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

extension TestHTTPServer.Action {
    /// A `text/event-stream` response whose bytes are cut into pieces of `pieceSize` bytes, wherever that falls.
    public static func events(
        _ text: String, pieceSize: Int = 7, status: Int = 200, headers: [String: String] = [:],
        dropAfter: Int? = nil
    ) -> Self {
        let bytes = Data(text.utf8)
        let pieces = stride(from: 0, to: bytes.count, by: pieceSize).map {
            bytes.subdata(in: $0..<min($0 + pieceSize, bytes.count))
        }
        return .respond(status: status, headers: headers, chunks: pieces, dropAfter: dropAfter)
    }

    /// A JSON response.
    public static func json(_ text: String, status: Int, headers: [String: String] = [:]) -> Self {
        var all = headers
        all["Content-Type"] = "application/json"
        return .respond(status: status, headers: all, chunks: [Data(text.utf8)])
    }
}
