import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends HTTP requests and hands back the body as it streams in.
///
/// `http://` goes over a plain socket of our own (``PlainHTTPExchange``: URLSession spins a core on Linux while it
/// waits for a response, which starves a local model); `https://` goes through URLSession, with a data delegate
/// feeding an `AsyncThrowingStream` (`URLSession.bytes(for:)` is not in Foundation on Linux). Three timeouts apply
/// to both (``HTTPTimeouts``); cancelling the task that reads the response cancels the request.
public struct HTTPClient: Sendable {
    public var timeouts: HTTPTimeouts

    public init(timeouts: HTTPTimeouts = HTTPTimeouts()) {
        self.timeouts = timeouts
    }

    /// Sends `request` and returns once the response head has arrived.
    public func send(_ request: URLRequest) async throws -> HTTPResponseStream {
        if request.url?.scheme?.lowercased() == "http" {
            return try await PlainHTTPExchange(timeouts: timeouts).start(request)
        }
        let exchange = StreamingExchange(timeouts: timeouts)
        return try await exchange.start(request)
    }
}

/// One request in flight: the URLSession delegate, the watchdog that enforces the timeouts, and the bridge from
/// delegate callbacks to Swift concurrency.
final class StreamingExchange: NSObject, URLSessionDataDelegate, Sendable {
    private struct State {
        var head: CheckedContinuation<HTTPResponseStream, any Error>?
        var body: AsyncThrowingStream<Data, any Error>.Continuation?
        var stream: AsyncThrowingStream<Data, any Error>?
        var task: URLSessionDataTask?
        var session: URLSession?
        var lastActivity = ContinuousClock.now
        var headArrived = false
        var failure: HTTPFailure?
        var finished = false
    }

    private let timeouts: HTTPTimeouts
    private let state = Mutex(State())
    private let started = ContinuousClock.now

    init(timeouts: HTTPTimeouts) {
        self.timeouts = timeouts
    }

    func start(_ request: URLRequest) async throws -> HTTPResponseStream {
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        continuation.onTermination = { [weak self] termination in
            if case .cancelled = termination { self?.cancel() }
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 24 * 3600
        configuration.timeoutIntervalForResource = 24 * 3600
        let session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
        let task = session.dataTask(with: request)
        state.withLock {
            $0.body = continuation
            $0.stream = stream
            $0.task = task
            $0.session = session
        }
        let watchdog = Task { [weak self] in await self?.watch() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { head in
                // A cancellation (or a timeout) that came before this point found no head to resume: end now.
                let ended = state.withLock { state -> (any Error)? in
                    guard state.finished else {
                        state.head = head
                        return nil
                    }
                    return state.failure ?? CancellationError()
                }
                if let ended {
                    head.resume(throwing: ended)
                } else {
                    task.resume()
                }
            }
        } onCancel: {
            watchdog.cancel()
            self.cancel()
        }
    }

    /// Cancels the request: the head or the body then ends with `CancellationError`.
    func cancel() {
        let task = state.withLock { state -> URLSessionDataTask? in
            guard !state.finished else { return nil }
            state.finished = true
            state.head?.resume(throwing: CancellationError())
            state.head = nil
            state.body?.finish(throwing: CancellationError())
            state.body = nil
            return state.task
        }
        task?.cancel()
    }

    /// Checks the timeouts until the exchange ends.
    private func watch() async {
        while !Task.isCancelled {
            let (deadline, failure, done) = state.withLock { state -> (ContinuousClock.Instant, HTTPFailure, Bool) in
                let total = started + timeouts.total
                let phase =
                    state.headArrived
                    ? (state.lastActivity + timeouts.idle, HTTPFailure.idleTimeout(timeouts.idle))
                    : (started + timeouts.connect, HTTPFailure.connectTimeout(timeouts.connect))
                return phase.0 < total
                    ? (phase.0, phase.1, state.finished) : (total, .totalTimeout(timeouts.total), state.finished)
            }
            if done { return }
            if ContinuousClock.now >= deadline {
                fail(failure)
                return
            }
            try? await Task.sleep(until: min(deadline, ContinuousClock.now + .milliseconds(250)))
        }
    }

    private func fail(_ failure: HTTPFailure) {
        let task = state.withLock { state -> URLSessionDataTask? in
            guard !state.finished else { return nil }
            state.finished = true
            state.failure = failure
            state.head?.resume(throwing: failure)
            state.head = nil
            state.body?.finish(throwing: failure)
            state.body = nil
            return state.task
        }
        task?.cancel()
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (name, value) in http?.allHeaderFields ?? [:] {
            headers[String(describing: name).lowercased()] = String(describing: value)
        }
        state.withLock { state in
            state.headArrived = true
            state.lastActivity = .now
            guard let head = state.head, let stream = state.stream else { return }
            state.head = nil
            head.resume(returning: HTTPResponseStream(status: http?.statusCode ?? 0, headers: headers, body: stream))
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        state.withLock { state in
            state.lastActivity = .now
            state.body?.yield(data)
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        state.withLock { state in
            defer {
                state.finished = true
                state.head = nil
                state.body = nil
            }
            guard !state.finished else { return }
            let failure = error.map { HTTPFailure.connection(Self.describe($0)) }
            if let head = state.head {
                head.resume(throwing: failure ?? HTTPFailure.connection("the server closed the connection"))
            }
            if let failure {
                state.body?.finish(throwing: failure)
            } else {
                state.body?.finish()
            }
        }
        session.finishTasksAndInvalidate()
    }

    private static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSURLErrorDomain {
            switch nsError.code {
            case NSURLErrorNetworkConnectionLost: return "the server dropped the connection"
            case NSURLErrorCannotConnectToHost: return "nothing is listening there (connection refused)"
            case NSURLErrorCannotFindHost: return "the host name does not resolve"
            case NSURLErrorNotConnectedToInternet: return "no network"
            default: break
            }
        }
        return nsError.localizedDescription
    }
}
