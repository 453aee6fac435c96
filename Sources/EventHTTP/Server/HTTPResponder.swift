public import Logging

/// Called exactly once with the answer to a request.
public typealias ResponseCallback = (HTTPResponse) -> Void

/// What the server knows about a request beyond the request itself.
public struct RequestContext {
    /// The id echoed in `X-Request-Id` and in every log line about this request.
    public var requestID: String
    /// A logger already carrying `requestId` metadata (and whatever ``HTTPResponder/prepare(_:for:)`` added).
    public var logger: Logger
    /// Header fields to send on the upstream calls made for this request (trace context, say).
    public var propagatedHeaders: HTTPHeaders

    public init(requestID: String, logger: Logger, propagatedHeaders: HTTPHeaders = [:]) {
        self.requestID = requestID
        self.logger = logger
        self.propagatedHeaders = propagatedHeaders
    }
}

/// Why the server answers a request itself, without handing it to ``HTTPResponder/respond(to:context:respond:)``.
public enum ServerRefusal: Sendable, Equatable {
    /// The framing is ambiguous (``RequestFraming``): the answer must be a `400` that closes the connection.
    case ambiguousFraming(RequestFraming.Violation)
    /// The body is larger than ``HTTPServerOptions/maxBodyBytes`` (but under libevent's hard ceiling).
    case bodyTooLarge
}

/// The seam between the server and whatever answers its requests: a router, or a test double.
///
/// One responder per event loop (``Server`` asks for one per loop), used only on that loop's thread, so it may
/// keep loop-local state (upstream connections, say) without locks.
public protocol HTTPResponder {
    /// Answers a request, now or later but on the same thread, by calling `respond` exactly once.
    func respond(to request: HTTPRequest, context: RequestContext, respond: @escaping ResponseCallback)

    /// The answer to a request the server refuses itself, as this responder renders errors.
    func answer(_ refusal: ServerRefusal, to request: HTTPRequest, context: RequestContext) -> HTTPResponse

    /// Completes a request's context before anything is logged about it, refusals and the access log included:
    /// log metadata, headers to propagate upstream. The default leaves it as it is.
    func prepare(_ context: inout RequestContext, for request: HTTPRequest)
}

extension HTTPResponder {
    public func prepare(_ context: inout RequestContext, for request: HTTPRequest) {}
}
