public import Logging

/// Called exactly once with a handler's response.
public typealias ResponseCallback = (HTTPResponse) -> Void

/// Handles one route's requests on the event-loop thread that received them.
///
/// A handler is created per event loop, so it may keep loop-local state (an upstream connection pool, say) without
/// locks. It answers now or later, but always on the same thread, by calling `respond` exactly once.
public protocol RouteHandler {
    func handle(_ request: HTTPRequest, context: RequestContext, respond: @escaping ResponseCallback)

    /// An answer the server gives for this route without calling ``handle(_:context:respond:)`` (a body over the
    /// limit, a request after the listeners closed), as this route would send it: a CORS layer adds its headers
    /// so that the page can read the error. The default sends it as it is.
    func decorateServerAnswer(_ response: HTTPResponse, to request: HTTPRequest) -> HTTPResponse
}

extension RouteHandler {
    public func decorateServerAnswer(_ response: HTTPResponse, to request: HTTPRequest) -> HTTPResponse {
        response
    }
}

/// What a handler knows about the request beyond the request itself.
public struct RequestContext {
    /// The id echoed in `X-Request-Id` and in every log line about this request.
    public var requestID: String
    /// A logger already carrying `requestId` metadata.
    public var logger: Logger

    public init(requestID: String, logger: Logger) {
        self.requestID = requestID
        self.logger = logger
    }
}

/// A handler whose answer needs nothing but the request, computed at once.
public struct ImmediateHandler: RouteHandler {
    private let answer: (HTTPRequest, RequestContext) -> HTTPResponse

    public init(_ answer: @escaping (HTTPRequest, RequestContext) -> HTTPResponse) {
        self.answer = answer
    }

    public func handle(_ request: HTTPRequest, context: RequestContext, respond: @escaping ResponseCallback) {
        respond(answer(request, context))
    }
}
