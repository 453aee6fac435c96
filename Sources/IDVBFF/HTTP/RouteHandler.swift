public import EventHTTP

/// Handles one route's requests on the event-loop thread that received them.
///
/// A handler is created per event loop, so it may keep loop-local state (an upstream connection pool, say) without
/// locks. It answers now or later, but always on the same thread, by calling `respond` exactly once.
public protocol RouteHandler {
    func handle(_ request: HTTPRequest, context: RequestContext, respond: @escaping ResponseCallback)

    /// An answer the server gives for this route without calling ``handle(_:context:respond:)`` (a body over the
    /// limit), as this route would send it: a CORS layer adds its headers so that the page can read the error.
    /// The default sends it as it is.
    func decorateServerAnswer(_ response: HTTPResponse, to request: HTTPRequest) -> HTTPResponse
}

extension RouteHandler {
    public func decorateServerAnswer(_ response: HTTPResponse, to request: HTTPRequest) -> HTTPResponse {
        response
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
