import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP/1.1 exchange over a plain TCP socket, for `http://` servers: the local model, Ollama, any server on
/// this machine or network. (`https://` goes through URLSession, which brings TLS.)
///
/// URLSession on Linux (libcurl under swift-corelibs-foundation) keeps the socket registered for writing while it
/// waits for the response, and its event loop spins: measured here, a whole core (about 13,000 `epoll_wait` calls
/// a second) for as long as a reply is being generated. On 2 cores that starved the local model, whose llama.cpp
/// threads wait on each other. Here one thread of its own sleeps in `poll(2)` instead, waking every 250 ms to
/// check the timeouts and cancellation.
final class PlainHTTPExchange: Sendable {
    private let timeouts: HTTPTimeouts
    private let cancelled = CancelFlag()

    init(timeouts: HTTPTimeouts) {
        self.timeouts = timeouts
    }

    /// Sends `request` and returns once the response head has arrived.
    func start(_ request: URLRequest) async throws -> HTTPResponseStream {
        let started = ContinuousClock.now
        let (body, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        continuation.onTermination = { [self] termination in
            if case .cancelled = termination { cancelled.set() }
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (head: CheckedContinuation<HTTPResponseStream, any Error>) in
                let thread = Thread { [self] in
                    exchange(request, started: started, head: head, body: body, continuation: continuation)
                }
                thread.name = "autocoder-http"
                thread.start()
            }
        } onCancel: {
            cancelled.set()
        }
    }

    /// The whole exchange, on its own thread: the head is handed to `head`, the body to `continuation`.
    private func exchange(
        _ request: URLRequest, started: ContinuousClock.Instant,
        head: CheckedContinuation<HTTPResponseStream, any Error>,
        body: AsyncThrowingStream<Data, any Error>, continuation: AsyncThrowingStream<Data, any Error>.Continuation
    ) {
        var headSent = false
        let total = started + timeouts.total
        let headDeadline = min(started + timeouts.connect, total)
        let headFailure: HTTPFailure =
            started + timeouts.connect < total ? .connectTimeout(timeouts.connect) : .totalTimeout(timeouts.total)
        do {
            guard let url = request.url, let host = url.host else {
                throw HTTPFailure.connection("the URL has no host")
            }
            let socket = try Socket.connect(
                host: host, port: url.port ?? 80,
                deadline: headDeadline, failure: headFailure, cancelled: cancelled)
            defer { close(socket.fd) }
            try socket.send(Self.requestBytes(request, url: url), deadline: headDeadline, failure: headFailure)
            var buffer = Data()
            var headEnd: Range<Data.Index>?
            while headEnd == nil {
                guard try socket.read(into: &buffer, deadline: headDeadline, failure: headFailure) else {
                    throw HTTPFailure.connection("the server closed the connection")
                }
                headEnd = buffer.range(of: Data("\r\n\r\n".utf8))
            }
            let (status, headers) = try Self.parseHead(buffer[buffer.startIndex..<headEnd!.lowerBound])
            buffer.removeSubrange(buffer.startIndex..<headEnd!.upperBound)
            headSent = true
            head.resume(returning: HTTPResponseStream(status: status, headers: headers, body: body))

            var decoder = BodyDecoder(headers: headers)
            var lastActivity = ContinuousClock.now
            while true {
                let decoded = try decoder.take(from: &buffer)
                if !decoded.isEmpty { continuation.yield(decoded) }
                if decoder.isComplete { break }
                let idle = lastActivity + timeouts.idle
                let more = try socket.read(
                    into: &buffer, deadline: min(idle, total),
                    failure: idle < total ? HTTPFailure.idleTimeout(timeouts.idle) : .totalTimeout(timeouts.total))
                if !more {
                    guard decoder.endsAtClose else { throw HTTPFailure.connection("the server dropped the connection") }
                    break
                }
                lastActivity = .now
            }
            continuation.finish()
        } catch {
            let ended: any Error = cancelled.isSet ? CancellationError() : error
            if headSent { continuation.finish(throwing: ended) } else { head.resume(throwing: ended) }
        }
    }

    static func requestBytes(_ request: URLRequest, url: URL) -> Data {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        var target = components?.percentEncodedPath ?? "/"
        if target.isEmpty { target = "/" }
        if let query = components?.percentEncodedQuery { target += "?" + query }
        var headers = request.allHTTPHeaderFields ?? [:]
        let names = Set(headers.keys.map { $0.lowercased() })
        headers["Host"] = url.port.map { "\(url.host!):\($0)" } ?? url.host!
        headers["Connection"] = "close"
        if !names.contains("user-agent") { headers["User-Agent"] = "autocoder" }
        let body = request.httpBody ?? Data()
        if !body.isEmpty || request.httpMethod == "POST" { headers["Content-Length"] = String(body.count) }
        var text = "\(request.httpMethod ?? "GET") \(target) HTTP/1.1\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { text += "\(name): \(value)\r\n" }
        return Data((text + "\r\n").utf8) + body
    }

    static func parseHead(_ head: Data) throws -> (Int, [String: String]) {
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/"), let status = Int(statusParts[1]) else {
            throw HTTPFailure.connection("the server's answer is not HTTP")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return (status, headers)
    }
}

/// Takes a response body out of the bytes read so far: chunked, of a given length, or up to the connection's end.
struct BodyDecoder {
    private enum Framing {
        case chunked
        case length(Int)
        case untilClose
    }
    private var framing: Framing
    /// Bytes left of the current chunk (chunked), with its CR LF.
    private var chunkLeft = 0
    private(set) var isComplete = false

    init(headers: [String: String]) {
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            framing = .chunked
        } else if let length = headers["content-length"].flatMap({ Int($0) }) {
            framing = .length(length)
            isComplete = length == 0
        } else {
            framing = .untilClose
        }
    }

    /// Whether the body ends when the server closes the connection.
    var endsAtClose: Bool {
        if case .untilClose = framing { return true }
        return false
    }

    /// The body bytes `buffer` completes, removed from it.
    mutating func take(from buffer: inout Data) throws -> Data {
        switch framing {
        case .untilClose:
            defer { buffer.removeAll() }
            return buffer
        case .length(let left):
            let piece = buffer.prefix(left)
            buffer.removeFirst(piece.count)
            framing = .length(left - piece.count)
            isComplete = left == piece.count
            return Data(piece)
        case .chunked:
            var out = Data()
            while !isComplete {
                if chunkLeft > 0 {
                    let piece = buffer.prefix(max(0, chunkLeft - 2))
                    out.append(piece)
                    buffer.removeFirst(piece.count)
                    chunkLeft -= piece.count
                    if chunkLeft == 2 {
                        guard buffer.count >= 2 else { return out }
                        buffer.removeFirst(2)
                        chunkLeft = 0
                    }
                    if chunkLeft > 0 { return out }
                    continue
                }
                guard let lineEnd = buffer.range(of: Data("\r\n".utf8)) else { return out }
                let line = String(decoding: buffer[buffer.startIndex..<lineEnd.lowerBound], as: UTF8.self)
                let sizeText = line.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                guard let size = Int(sizeText, radix: 16) else {
                    throw HTTPFailure.connection("the server sent a malformed chunk")
                }
                if size == 0 {
                    // The last chunk; trailers (rare) end with an empty line, which the connection's close covers.
                    isComplete = true
                    buffer.removeAll()
                    return out
                }
                buffer.removeSubrange(buffer.startIndex..<lineEnd.upperBound)
                chunkLeft = size + 2
            }
            return out
        }
    }
}

/// Set once, read from the exchange's thread.
final class CancelFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}

/// A connected, non-blocking TCP socket that waits in `poll(2)`, 250 ms at a time, so that a deadline or a
/// cancellation is noticed within that.
private struct Socket {
    let fd: Int32
    let cancelled: CancelFlag

    /// Connects to the first address of `host` that accepts.
    static func connect(
        host: String, port: Int, deadline: ContinuousClock.Instant, failure: HTTPFailure, cancelled: CancelFlag
    ) throws -> Socket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw HTTPFailure.connection("the host name does not resolve")
        }
        defer { freeaddrinfo(list) }
        var reason = "nothing is listening there (connection refused)"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { continue }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            let socket = Socket(fd: fd, cancelled: cancelled)
            if Glibc.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 { return socket }
            guard errno == EINPROGRESS else {
                reason = Self.describe(errno)
                close(fd)
                continue
            }
            do {
                try socket.wait(for: Int16(POLLOUT), deadline: deadline, failure: failure)
            } catch {
                close(fd)
                throw error
            }
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
            if code == 0 { return socket }
            reason = Self.describe(code)
            close(fd)
        }
        throw HTTPFailure.connection(reason)
    }

    static func describe(_ code: Int32) -> String {
        switch code {
        case ECONNREFUSED: "nothing is listening there (connection refused)"
        case ECONNRESET, EPIPE: "the server dropped the connection"
        case ENETUNREACH, EHOSTUNREACH: "no network"
        default: String(cString: strerror(code))
        }
    }

    /// Waits until the socket is ready for `events`.
    func wait(for events: Int16, deadline: ContinuousClock.Instant, failure: HTTPFailure) throws {
        while true {
            if cancelled.isSet { throw CancellationError() }
            let now = ContinuousClock.now
            if now >= deadline { throw failure }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let left = deadline - now
            let milliseconds = min(
                250, Int(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000) + 1)
            let ready = poll(&entry, 1, Int32(milliseconds))
            if ready > 0 { return }
            if ready < 0, errno != EINTR { throw HTTPFailure.connection(Self.describe(errno)) }
        }
    }

    func send(_ data: Data, deadline: ContinuousClock.Instant, failure: HTTPFailure) throws {
        var offset = 0
        while offset < data.count {
            let sent = data.withUnsafeBytes { bytes in
                Glibc.send(fd, bytes.baseAddress! + offset, data.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                try wait(for: Int16(POLLOUT), deadline: deadline, failure: failure)
            } else {
                throw HTTPFailure.connection(Self.describe(errno))
            }
        }
    }

    /// Reads what has arrived onto `buffer`; `false` when the server closed the connection.
    func read(into buffer: inout Data, deadline: ContinuousClock.Instant, failure: HTTPFailure) throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                return true
            }
            if count == 0 { return false }
            guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else {
                throw HTTPFailure.connection(Self.describe(errno))
            }
            try wait(for: Int16(POLLIN), deadline: deadline, failure: failure)
        }
    }
}
