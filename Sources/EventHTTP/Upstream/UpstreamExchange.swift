/// A request to the upstream, built by Swift and sent by the pool.
public struct UpstreamRequest: Sendable {
    /// `POST` for GraphQL, `GET` for a JWKS document.
    public var method: HTTPMethod
    /// Header fields besides `Host` and `Content-Length`, which the pool sets.
    public var headers: HTTPHeaders
    /// The body; empty for a `GET`.
    public var body: [UInt8]

    public init(method: HTTPMethod = .post, headers: HTTPHeaders, body: [UInt8] = []) {
        self.method = method
        self.headers = headers
        self.body = body
    }
}

/// A complete upstream answer, as the response parser read it.
public struct UpstreamResponse: Sendable {
    /// The status code.
    public var status: Int
    /// The answer's header fields.
    public var headers: HTTPHeaders
    /// The whole body, at most ``UpstreamPoolOptions/maxResponseBytes``.
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Why an exchange brought no complete answer: the transport's side of things, for the application to map.
public enum UpstreamTransportError: Error, Sendable, Equatable {
    /// The pool's queue of waiting requests was full, so the request was not attempted.
    case busy
    /// No complete answer arrived within the exchange's deadline.
    case timeout
    /// The upstream could not be reached or broke off: DNS, refused or reset connection, failed TLS verification,
    /// a close before the answer was complete. `detail` says which, for the log.
    case unavailable(String)
    /// The answer was not strict HTTP/1.1: a garbage status line, a framing that could be read two ways, a bare LF.
    case malformedResponse(String)
    /// The answer was larger than ``UpstreamPoolOptions/maxResponseBytes``.
    case responseTooLarge
}

/// Sends upstream requests from one event loop. `completion` runs exactly once, on that loop's thread.
public protocol UpstreamTransport: AnyObject {
    func send(_ request: UpstreamRequest, completion: @escaping (Result<UpstreamResponse, UpstreamTransportError>) -> Void)
}
